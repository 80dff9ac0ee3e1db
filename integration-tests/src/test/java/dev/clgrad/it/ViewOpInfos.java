package dev.clgrad.it;

import dev.clgrad.Tensor;
import dev.clgrad.it.OpInfo.Builder;
import dev.clgrad.it.OpInfo.Call;
import dev.clgrad.it.OpInfo.Family;

import java.util.List;
import java.util.Map;

import static dev.clgrad.it.OpInfo.op;
import static dev.clgrad.it.OpInfo.params;
import static dev.clgrad.it.SampleInputs.BIG;
import static dev.clgrad.it.SampleInputs.columnOf;
import static dev.clgrad.it.SampleInputs.everySecondOf;
import static dev.clgrad.it.SampleInputs.expandedOf;
import static dev.clgrad.it.SampleInputs.permutedOf;
import static dev.clgrad.it.SampleInputs.shape;
import static dev.clgrad.it.SampleInputs.transposeOf;
import static dev.clgrad.it.Tolerance.EXACT;

/** The {@link OpInfo} rows of views, copies and indexing: exact everywhere, gradients included. */
final class ViewOpInfos {
    private ViewOpInfos() {
    }

    static List<Builder> rows() {
        Map<String, String> none = Map.of();
        return List.of(
                // a copy of a non-contiguous input; a contiguous input (an empty one included) is returned as is
                view("contiguous", (in, p) -> in.get(0).contiguous()).gradFn("CloneBackward0")
                        .onEach(List.of(transposeOf(17, 33), permutedOf(4, 5, 6), everySecondOf(257),
                                columnOf(17, 33, 5), expandedOf(33, 17), transposeOf(2, 0), transposeOf(BIG, BIG)),
                                none, EXACT),
                // a copy where the strides do not allow a view
                view("reshape", (in, p) -> in.get(0).reshape(p.longs("shape")))
                        .gradFn("ReshapeAliasBackward0", "UnsafeViewBackward0")
                        .on(params("shape", "33,17"), EXACT, shape(17, 33))
                        .on(params("shape", "-1"), EXACT, transposeOf(17, 33)),
                view("view", (in, p) -> in.get(0).view(p.longs("shape"))).gradFn("ViewBackward0")
                        .on(params("shape", "20,6"), EXACT, shape(4, 5, 6)),
                view("t", (in, p) -> in.get(0).t()).gradFn("TBackward0").on(none, EXACT, shape(17, 33)),
                view("transpose", (in, p) -> in.get(0).transpose(p.i("dim0"), p.i("dim1")))
                        .gradFn("TransposeBackward0").on(params("dim0", "0", "dim1", "2"), EXACT, permutedOf(4, 5, 6)),
                view("permute", (in, p) -> in.get(0).permute(p.ints("dims"))).gradFn("PermuteBackward0")
                        .on(params("dims", "1,2,0"), EXACT, shape(4, 5, 6)),
                view("expand", (in, p) -> in.get(0).expand(p.longs("shape"))).gradFn("ExpandBackward0")
                        .on(params("shape", "33,17"), EXACT, shape(33, 1))
                        .on(params("shape", "4,33,17"), EXACT, shape(17)),
                view("unsqueeze", (in, p) -> in.get(0).unsqueeze(p.i("dim"))).gradFn("UnsqueezeBackward0")
                        .on(params("dim", "0"), EXACT, shape(4097))
                        .on(params("dim", "1"), EXACT, transposeOf(17, 33)),
                view("squeeze", (in, p) -> in.get(0).squeeze(p.i("dim"))).gradFn("SqueezeBackward1")
                        .on(params("dim", "1"), EXACT, shape(33, 1)),
                // x[i][j]...: one select(0, i) at a time
                view("get", (in, p) -> in.get(0).get(p.longs("indices"))).gradFn("SelectBackward0")
                        .on(params("indices", "3"), EXACT, shape(17, 33))
                        .on(params("indices", "-1,2"), EXACT, permutedOf(4, 5, 6)));
    }

    private static Builder view(String name, Call call) {
        return op(name, Family.VIEW, call);
    }
}
