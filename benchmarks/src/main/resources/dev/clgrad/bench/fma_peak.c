/* Float32 fused multiply-add throughput of this machine: the compute limit for matmul (W4) and
 * the MLP step (W5). Each thread runs independent chains of vector FMAs, enough of them to
 * hide the instruction latency. Build: gcc -O3 -march=native -fopenmp fma_peak.c -o fma_peak
 * Prints "LIMIT<TAB>fma-peak<TAB>threads<TAB>best GFLOP/s<TAB>median GFLOP/s". */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

typedef float vec __attribute__((vector_size(64)));
#define LANES 16
#define CHAINS 12
#define ITERS 20000000L
#define REPS 7

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void) {
    double t[REPS];
    volatile float sink = 0;
    int threads = omp_get_max_threads();
    for (int r = 0; r < REPS; r++) {
        double t0 = omp_get_wtime();
#pragma omp parallel
        {
            vec acc[CHAINS];
            vec m = {0}, a = {0};
            for (int l = 0; l < LANES; l++) {
                m[l] = 0.9999999f;
                a[l] = 1e-7f;
            }
            for (int c = 0; c < CHAINS; c++) {
                acc[c] = m * (float)(c + omp_get_thread_num());
            }
            for (long i = 0; i < ITERS / 16; i++) {
                for (int c = 0; c < CHAINS; c++) {
                    acc[c] = acc[c] * m + a;
                }
            }
            float s = 0;
            for (int c = 0; c < CHAINS; c++) {
                for (int l = 0; l < LANES; l++) {
                    s += acc[c][l];
                }
            }
#pragma omp atomic
            sink += s;
        }
        t[r] = omp_get_wtime() - t0;
    }
    double flops = 2.0 * LANES * CHAINS * (ITERS / 16) * threads;
    qsort(t, REPS, sizeof t[0], cmp);
    printf("fma peak: %d threads, best %.1f GFLOP/s, median %.1f GFLOP/s\n", threads, flops / t[0] / 1e9,
           flops / t[REPS / 2] / 1e9);
    printf("LIMIT\tfma-peak\t%d\t%.2f\t%.2f\n", threads, flops / t[0] / 1e9, flops / t[REPS / 2] / 1e9);
    return sink == 42.0f;
}
