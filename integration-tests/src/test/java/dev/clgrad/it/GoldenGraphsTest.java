package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Tensor;
import dev.clgrad.Torch;
import dev.clgrad.autograd.GradFn;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole backward graph ({@code grad_fn} and, recursively, {@code next_functions}) of each
 * expression recorded from PyTorch, built here by its Java twin.
 */
class GoldenGraphsTest {

    /** {@code Name(child, ...)} over next_functions; None for an edge without a function. */
    static String dump(GradFn fn) {
        if (fn == null) {
            return "None";
        }
        if (fn.nextFunctions().isEmpty()) {
            return fn.name();
        }
        return fn.name() + "(" + fn.nextFunctions().stream().map(e -> dump(e.function()))
                .collect(Collectors.joining(", ")) + ")";
    }

    private static Tensor leaf(long... shape) {
        return Tensor.rand(shape).add(0.5).requiresGrad_();
    }

    private static final Map<String, Supplier<Tensor>> EXPRESSIONS = new LinkedHashMap<>();

    private static void expr(String name, Supplier<Tensor> build) {
        EXPRESSIONS.put("graph/" + name, build);
    }

    static {
        expr("seed_y", () -> Tensor.arange(4).requiresGrad_().add(1).pow(2).mul(5));
        expr("seed_z", () -> Tensor.arange(4).requiresGrad_().add(1).pow(2).mul(5).mean());
        expr("seed_o", () -> Torch.sum(Tensor.ones(2).requiresGrad_().add(1).pow(2).mul(5)).mul(0.5));
        expr("lin", () -> Tensor.of(3.0).requiresGrad_().mul(2).add(3));
        expr("copyslices1", () -> {
            Tensor x = leaf(1);
            Tensor y = Tensor.zeros(2, 1);
            y.set(0, x.pow(3));
            y.set(1, x.pow(2).mul(2));
            return y;
        });
        expr("copyslices2", () -> {
            Tensor x = leaf(2, 1);
            Tensor y = Tensor.zeros(3, 1);
            y.set(0, x.get(0).pow(2));
            y.set(1, x.get(1).pow(3));
            y.set(2, x.get(1).pow(4));
            return y;
        });
        expr("select", () -> {
            Tensor x = leaf(2, 1);
            return x.get(0).pow(3).add(x.get(1).pow(2).mul(2));
        });
        expr("chain_mul", () -> leaf(3).mul(2).mul(2).mul(2));
        expr("inplace_add", () -> {
            Tensor x = leaf(3);
            return x.mul(1).add_(x);
        });
        expr("inplace_mul", () -> leaf(3).mul(1).mul_(2.0));
        expr("fill", () -> leaf(3).mul(1).fill_(3.0));
        expr("zero", () -> leaf(3).mul(1).zero_());
        expr("copy", () -> leaf(3).mul(1).copy_(leaf(3)));
        expr("view_chain", () -> leaf(2, 3).t().reshape(6).view(3, 2).unsqueeze(0).squeeze(0).permute(1, 0)
                .expand(2, 2, 3));
        expr("reshape_viewable", () -> leaf(2, 3).reshape(3, 2));
        expr("reshape_copy", () -> leaf(2, 3).t().reshape(6));
        expr("view", () -> leaf(2, 3).view(6));
        expr("contiguous", () -> leaf(2, 3).t().contiguous());
        expr("contiguous_noop", () -> leaf(2, 3).contiguous().mul(2));
        expr("transpose", () -> leaf(2, 3).transpose(0, 1));
        expr("get_element", () -> leaf(2, 3).get(1).get(2));
        expr("matmul_1d_1d", () -> Torch.matmul(leaf(3), leaf(3)));
        expr("matmul_2d_1d", () -> Torch.matmul(leaf(2, 3), leaf(3)));
        expr("matmul_1d_2d", () -> Torch.matmul(leaf(3), leaf(3, 4)));
        expr("matmul_2d_2d", () -> Torch.matmul(leaf(2, 3), leaf(3, 4)));
        expr("matmul_3d_2d", () -> Torch.matmul(leaf(2, 3, 4), leaf(4, 5)));
        expr("matmul_3d_3d", () -> Torch.matmul(leaf(2, 3, 4), leaf(2, 4, 5)));
        expr("matmul_4d_3d_broadcast", () -> Torch.matmul(leaf(2, 1, 3, 4), leaf(5, 4, 2)));
        expr("matmul_2d_3d", () -> Torch.matmul(leaf(3, 4), leaf(2, 4, 5)));
        expr("matmul_3d_1d", () -> Torch.matmul(leaf(2, 3, 4), leaf(4)));
        expr("sum_all", () -> leaf(2, 3).sum());
        expr("sum_dim", () -> leaf(2, 3).sum(1, false));
        expr("sum_dim_keepdim", () -> leaf(2, 3).sum(0, true));
        expr("mean_all", () -> leaf(2, 3).mean());
        expr("mean_dim", () -> leaf(2, 3).mean(1, false));
        expr("max", () -> leaf(2, 3).max());
        expr("min", () -> leaf(2, 3).min());
        expr("norm", () -> leaf(2, 3).norm());
        expr("sigmoid", () -> leaf(3).sigmoid());
        expr("relu", () -> leaf(3).relu());
        expr("tanh", () -> leaf(3).tanh());
        expr("neg", () -> leaf(3).neg());
        expr("exp", () -> leaf(3).exp());
        expr("log", () -> leaf(3).log());
        expr("sqrt", () -> leaf(3).sqrt());
        expr("abs", () -> leaf(3).abs());
        expr("sin", () -> leaf(3).sin());
        expr("cos", () -> leaf(3).cos());
        expr("detach", () -> leaf(3).mul(2).detach().mul(3));
        expr("nograd_part", () -> {
            Tensor x = leaf(3);
            return x.mul(2).add(x.mul(3).detach());
        });
        expr("const_operand", () -> leaf(3).mul(Tensor.rand(3)));
        expr("mixed_dtype", () -> leaf(3).add(Tensor.of(new double[] {1, 2, 3}, DType.FLOAT64).requiresGrad_()));
        expr("broadcast_add", () -> leaf(2, 3).add(leaf(3)));
        expr("scalar_add", () -> leaf(3).add(1));
        expr("scalar_sub", () -> leaf(3).sub(1));
        expr("scalar_rsub", () -> leaf(3).rsub(1));
        expr("scalar_mul", () -> leaf(3).mul(2));
        expr("scalar_rmul", () -> leaf(3).mul(2));
        expr("scalar_div", () -> leaf(3).div(2));
        expr("scalar_rdiv", () -> leaf(3).rdiv(2));
        expr("scalar_pow", () -> leaf(3).pow(2));
        expr("scalar_rpow", () -> Torch.pow(2, leaf(3)));
    }

    @TestFactory
    Stream<DynamicTest> backward_graphs_have_pytorch_node_names_and_structure() {
        return Fixtures.load("graphs.txt").stream().map(r -> DynamicTest.dynamicTest(r.id(), () -> {
            Supplier<Tensor> build = EXPRESSIONS.get(r.id());
            if (build == null) {
                throw new AssertionError("no Java twin for " + r.id() + " (" + r.get("expr") + ")");
            }
            assertEquals(r.get("dump"), dump(build.get().gradFn()), r.get("expr"));
        }));
    }
}
