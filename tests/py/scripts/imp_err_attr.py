import impmod_a
impmod_a.nosuch
