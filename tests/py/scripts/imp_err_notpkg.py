import impmod_a.b
