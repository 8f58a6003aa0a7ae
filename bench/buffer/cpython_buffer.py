"""The bench_buffer.c workloads on this python3's memoryview, for context
(bench/run-buffer.sh prints them next to pymm's).  Lines:
bench buffer <workload> cpython ns_per_op=... / bytes_per_s=...
Usage: cpython_buffer.py BIG_MIB COPY_MIB"""
import sys
import time


def best(fn, reps, rounds=5):
    t = 1e30
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        fn(reps)
        t = min(t, (time.perf_counter_ns() - t0) / reps)
    return t


def views(size, name, reps=200000):
    ba = bytearray(size)
    mv = memoryview(ba)
    n = len(ba)
    shape = [n // 64, 64]

    def sl(r):
        for _ in range(r):
            mv[1:n - 1:2]

    def ca(r):
        for _ in range(r):
            mv.cast('I')

    def c2(r):
        for _ in range(r):
            mv.cast('B', shape)

    def vw(r):
        for _ in range(r):
            memoryview(ba)

    for w, fn in (("slice", sl), ("cast", ca), ("cast2d", c2), ("view", vw)):
        print("bench buffer %s_%s cpython ns_per_op=%.1f" % (w, name, best(fn, reps)), flush=True)
    mv.release()


def copy(size, name, reps=7):
    ba = bytearray(b'\x5a') * size
    mv = memoryview(ba)
    st = mv[::2]
    t_tb = t_st = 1e30
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        mv.tobytes()
        t1 = time.perf_counter_ns()
        st.tobytes()
        t2 = time.perf_counter_ns()
        t_tb, t_st = min(t_tb, t1 - t0), min(t_st, t2 - t1)
    print("bench buffer tobytes_%s cpython bytes_per_s=%.3e" % (name, size / t_tb * 1e9))
    print("bench buffer tobytes_strided_%s cpython bytes_per_s=%.3e" % (name, size / 2 / t_st * 1e9))
    st.release()
    mv.release()


def main():
    big, cp = int(sys.argv[1]), int(sys.argv[2])
    views(1024, "1KiB")
    views(big << 20, "%dGiB" % (big >> 10) if big % 1024 == 0 else "%dMiB" % big)
    copy(16 << 20, "16MiB", reps=15)
    copy(cp << 20, "%dMiB" % cp)


main()
