s = "été"
n = len(s) + s.count("é") + s[10]
