from impmod_pkg import nosub
