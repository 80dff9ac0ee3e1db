// Batched matrix product C[b] = A[b] @ B[b] over strided operands: element (b, m, k) of A is
// A[aoff + b*abs + m*ams + k*aks], and likewise for B (b, k, n) and C (b, m, n); a batch
// stride of 0 broadcasts a matrix. Built once per dtype (-DT, -DSFX, USE_FP64).
//
// pack_b16 + matmul_rbp: register blocking for CPU-type devices (below); local-memory tiles
// only add barrier cost on such devices.
// matmul_tiled: local-memory tiles for GPUs. A 16x16 work-group computes a 64x64 block of C,
// each work-item a 4x4 sub-block strided by 16, from 64x16 and 16x64 tiles loaded coalesced.
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define PASTE2_(a, b) a##_##b
#define PASTE2(a, b) PASTE2_(a, b)
#define PASTE_V_(t, n) t##n
#define PASTE_V(t, n) PASTE_V_(t, n)
#define T16 PASTE_V(T, 16)

// pack_b16: copies B[b] into strips of 16 columns, each strip K rows of 16 contiguous values:
// P[((b * strips + strip) * K + k) * 16 + j] = B[b, k, strip * 16 + j]. The product kernel then
// reads B front to back, one cache line per k, where B's own rows would touch a new page per k.
// Columns past N repeat column N-1, so reads stay inside B; the product never stores them.
__kernel void PASTE2(pack_b16, SFX)(__global const T* B, long boff, long bbs, long bks, long bns,
                                    __global T* P, long K, long N) {
    long k = get_global_id(0);
    long strip = get_global_id(1);
    long b = get_global_id(2);
    if (k >= K) {
        return;
    }
    __global const T* row = B + boff + b * bbs + k * bks;
    long n0 = strip * 16;
    long nl = N - 1;
    T16 v;
    if (bns == 1 && n0 + 16 <= N) {
        v = vload16(0, row + n0);
    } else {
        T w[16];
        for (int j = 0; j < 16; j++) {
            w[j] = row[min(n0 + j, nl) * bns];
        }
        v = vload16(0, w);
    }
    vstore16(v, (b * get_global_size(1) + strip) * K + k, P);
}

// matmul_rbp: register blocking for CPU-type devices over B packed by pack_b16. Each work-item
// keeps an 8x16 block of C in registers (eight 16-wide vectors: one AVX-512 register each in
// float32) and, per k, loads one packed 16-wide row of B and broadcasts 8 values of A.
// pbs is the packed batch stride (0 when B broadcasts over the batch).
__kernel void PASTE2(matmul_rbp, SFX)(__global const T* A, long aoff, long abs, long ams, long aks,
                                      __global const T* P, long pbs,
                                      __global T* C, long coff, long cbs, long cms, long cns,
                                      long M, long N, long K) {
    long strip = get_global_id(0);
    long m0 = get_global_id(1) * 8;
    long b = get_global_id(2);
    long n0 = strip * 16;
    if (n0 >= N || m0 >= M) {
        return;
    }
    __global const T* a = A + aoff + b * abs;
    __global const T* p = P + b * pbs + strip * K * 16;
    // rows past M repeat row M-1: reads stay inside A, and the stores below skip them
    long ml = M - 1;
    long r0 = m0 * ams, r1 = min(m0 + 1, ml) * ams, r2 = min(m0 + 2, ml) * ams, r3 = min(m0 + 3, ml) * ams,
         r4 = min(m0 + 4, ml) * ams, r5 = min(m0 + 5, ml) * ams, r6 = min(m0 + 6, ml) * ams,
         r7 = min(m0 + 7, ml) * ams;
    T16 c0 = (T16)(0), c1 = (T16)(0), c2 = (T16)(0), c3 = (T16)(0),
        c4 = (T16)(0), c5 = (T16)(0), c6 = (T16)(0), c7 = (T16)(0);
    for (long k = 0; k < K; k++) {
        T16 bv = vload16(k, p);
        long ka = k * aks;
        c0 = fma((T16)(a[r0 + ka]), bv, c0);
        c1 = fma((T16)(a[r1 + ka]), bv, c1);
        c2 = fma((T16)(a[r2 + ka]), bv, c2);
        c3 = fma((T16)(a[r3 + ka]), bv, c3);
        c4 = fma((T16)(a[r4 + ka]), bv, c4);
        c5 = fma((T16)(a[r5 + ka]), bv, c5);
        c6 = fma((T16)(a[r6 + ka]), bv, c6);
        c7 = fma((T16)(a[r7 + ka]), bv, c7);
    }
    T cr[8][16];
    vstore16(c0, 0, cr[0]);
    vstore16(c1, 0, cr[1]);
    vstore16(c2, 0, cr[2]);
    vstore16(c3, 0, cr[3]);
    vstore16(c4, 0, cr[4]);
    vstore16(c5, 0, cr[5]);
    vstore16(c6, 0, cr[6]);
    vstore16(c7, 0, cr[7]);
    __global T* c = C + coff + b * cbs;
    for (int i = 0; i < 8 && m0 + i < M; i++) {
        __global T* crow = c + (m0 + i) * cms;
        for (int j = 0; j < 16 && n0 + j < N; j++) {
            crow[(n0 + j) * cns] = cr[i][j];
        }
    }
}

#define TS 64
#define TK 16
#define WG 16

__kernel void PASTE2(matmul_tiled, SFX)(__global const T* A, long aoff, long abs, long ams, long aks,
                                        __global const T* B, long boff, long bbs, long bks, long bns,
                                        __global T* C, long coff, long cbs, long cms, long cns,
                                        long M, long N, long K) {
    __local T As[TK][TS];
    __local T Bs[TK][TS];
    int tx = get_local_id(0);
    int ty = get_local_id(1);
    int tid = ty * WG + tx;
    long n0 = get_group_id(0) * TS;
    long m0 = get_group_id(1) * TS;
    long b = get_global_id(2);
    __global const T* a = A + aoff + b * abs;
    __global const T* bb = B + boff + b * bbs;
    __global T* c = C + coff + b * cbs;
    T acc[4][4];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            acc[i][j] = 0;
        }
    }
    for (long k0 = 0; k0 < K; k0 += TK) {
        for (int q = 0; q < 4; q++) {
            int e = tid + q * WG * WG;
            int ak = e % TK, am = e / TK;       // consecutive work-items walk a row of A
            long gm = m0 + am, gk = k0 + ak;
            As[ak][am] = gm < M && gk < K ? a[gm * ams + gk * aks] : (T)0;
            int bk = e / TS, bn = e % TS;       // and a row of B
            long gn = n0 + bn, gkb = k0 + bk;
            Bs[bk][bn] = gn < N && gkb < K ? bb[gkb * bks + gn * bns] : (T)0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TK; k++) {
            T av[4], bv[4];
            for (int i = 0; i < 4; i++) {
                av[i] = As[k][ty + i * WG];
                bv[i] = Bs[k][tx + i * WG];
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    acc[i][j] = fma(av[i], bv[j], acc[i][j]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < 4; i++) {
        long m = m0 + ty + i * WG;
        for (int j = 0; j < 4; j++) {
            long n = n0 + tx + j * WG;
            if (m < M && n < N) {
                c[m * cms + n * cns] = acc[i][j];
            }
        }
    }
}
