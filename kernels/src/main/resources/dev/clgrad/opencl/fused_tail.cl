// The reduce kernels a fused graph ends in: reduce.cl's chunks, rows, tree and rows_tree kernels
// with every load replaced by fused_value(FUSED_ARGS, i), the reduced step's value at element i
// (row-major over the graph's shape), folded through reduce_ops.cl's macros, so that the values,
// their grouping and the order of the folds are those of the reduce kernel over stored values.
//
// The OpenCL backend's generated text defines, before this file: fused_value (and, for a strided2
// geometry, fused_value2 by coordinates), FUSED_PARAMS and FUSED_ARGS (the graph's parameters and
// their names), TAIL_INIT, TAIL_C and TAIL_V (the reduction's identity and folds), one of
// FUSED_CHUNKS, FUSED_ROWS, FUSED_TREE and FUSED_ROWS_TREE, and ROWS_ARE_GEOMETRY_ROWS when row o's
// element j is fused_value2(..., o, j), which divides nothing.

#define VALUE_AT(base, j) fused_value(FUSED_ARGS, (base) + (j))
#define LOAD_AT(base, j) ((ACC)VALUE_AT(base, j))
#define LOAD8_AT(base, j) CONVERT_ACC8((T8)(VALUE_AT(base, j), VALUE_AT(base, (j) + 1),                \
    VALUE_AT(base, (j) + 2), VALUE_AT(base, (j) + 3), VALUE_AT(base, (j) + 4),                         \
    VALUE_AT(base, (j) + 5), VALUE_AT(base, (j) + 6), VALUE_AT(base, (j) + 7)))
#define LOAD1(j) LOAD_AT(0, j)
#define LOAD8(j) LOAD8_AT(0, j)
#ifdef ROWS_ARE_GEOMETRY_ROWS
#define ROW_VALUE(j) fused_value2(FUSED_ARGS, o, j)
#define ROW1(j) ((ACC)ROW_VALUE(j))
#define ROW8(j) CONVERT_ACC8((T8)(ROW_VALUE(j), ROW_VALUE((j) + 1), ROW_VALUE((j) + 2),              \
    ROW_VALUE((j) + 3), ROW_VALUE((j) + 4), ROW_VALUE((j) + 5), ROW_VALUE((j) + 6), ROW_VALUE((j) + 7)))
#else
#define ROW1(j) LOAD_AT(row, j)
#define ROW8(j) LOAD8_AT(row, j)
#endif

#ifdef FUSED_CHUNKS
__kernel void fused_chunks(FUSED_PARAMS, long count, long chunk, __global ACC* part) {
    long p = get_global_id(0);
    long lo = p * chunk;
    long hi = min(count, lo + chunk);
    ACC acc;
    REDUCE_DENSE_RUN(acc, TAIL_INIT, TAIL_C, TAIL_V, lo, hi, LOAD1, LOAD8);
    part[p] = acc;
}
#endif

#ifdef FUSED_ROWS
__kernel void fused_rows(FUSED_PARAMS, long outer, long inner, __global T* out, long oo) {
    long o = get_global_id(0);
    if (o < outer) {
        long row = o * inner;
        ACC acc;
        REDUCE_DENSE_RUN(acc, TAIL_INIT, TAIL_C, TAIL_V, 0, inner, ROW1, ROW8);
        out[oo + o] = (T)acc;
    }
}
#endif

#if defined(FUSED_TREE) || defined(FUSED_ROWS_TREE)
DEFINE_LOCAL_TREE(fused_local_tree, TAIL_C)
#endif

#ifdef FUSED_TREE
__kernel void fused_tree(FUSED_PARAMS, long count, __global ACC* part, __local ACC* scratch) {
    ACC acc = (ACC)(TAIL_INIT);
    for (long j = get_global_id(0); j < count; j += get_global_size(0)) {
        acc = TAIL_C(acc, LOAD1(j));
    }
    acc = fused_local_tree(scratch, acc);
    if (get_local_id(0) == 0) {
        part[get_group_id(0)] = acc;
    }
}
#endif

#ifdef FUSED_ROWS_TREE
__kernel void fused_rows_tree(FUSED_PARAMS, long outer, long inner, __global T* out, long oo,
                              __local ACC* scratch) {
    long o = get_group_id(0);
    long row = o * inner;
    ACC acc = (ACC)(TAIL_INIT);
    for (long r = get_local_id(0); r < inner; r += get_local_size(0)) {
        acc = TAIL_C(acc, ROW1(r));
    }
    acc = fused_local_tree(scratch, acc);
    if (get_local_id(0) == 0) {
        out[oo + o] = (T)acc;
    }
}
#endif
