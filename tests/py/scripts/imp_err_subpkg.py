import impmod_pkg.nosub
