# python3 shows "<frozen importlib._bootstrap>" frames (its importer is Python code): compare the ends only
# run.py: traceback ends only
import impmod_gone
