import impmod_pkg.beyond
