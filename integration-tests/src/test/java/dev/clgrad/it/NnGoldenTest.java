package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.io.Safetensors;
import dev.clgrad.nn.Dropout;
import dev.clgrad.nn.Flatten;
import dev.clgrad.nn.Functional;
import dev.clgrad.nn.LayerNorm;
import dev.clgrad.nn.Linear;
import dev.clgrad.nn.ReLU;
import dev.clgrad.nn.Reduction;
import dev.clgrad.nn.Sequential;
import dev.clgrad.nn.Sigmoid;
import dev.clgrad.nn.Tanh;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * dev.clgrad.nn against PyTorch 1.13 ({@code tools/golden/record_nn.py}, {@code golden/nn.txt}):
 * models with weights loaded from safetensors files PyTorch's weights were written to (outputs,
 * graphs, losses, every gradient), {@code linear} on each rank, the losses, {@code layerNorm},
 * second derivatives through each composite, {@code clipGradNorm_}, and printed modules; every
 * record on every device.
 */
class NnGoldenTest {
    private static final List<Fixtures.Record> RECORDS = Fixtures.load("nn.txt");

    /** The Java twin of each model record_nn.py builds. */
    private static final Map<String, Supplier<dev.clgrad.nn.Module>> MODELS = Map.of(
            "mlp", () -> new Sequential(new Linear(5, 7), new ReLU(), new Linear(7, 3)),
            "norm", () -> new Sequential(new Linear(4, 6), new LayerNorm(6), new Sigmoid(), new LayerNorm(3, 6),
                    new Tanh(), new Flatten(), new Linear(18, 3, false)));

    /** The Java twin of each printed module. */
    private static final Map<String, Supplier<dev.clgrad.nn.Module>> PRINTED = new LinkedHashMap<>();

    static {
        PRINTED.put("linear", () -> new Linear(4, 3));
        PRINTED.put("linear_nobias", () -> new Linear(4, 3, false));
        PRINTED.put("sequential", () -> new Sequential(new Linear(4, 3), new ReLU()));
        PRINTED.put("nested", () -> new Sequential(new Linear(4, 3), new ReLU(),
                new Sequential(new Tanh(), new Linear(3, 2, false)), new Dropout(0.25), new Flatten(), new LayerNorm(2),
                new LayerNorm(2, 3), new Sigmoid()));
        PRINTED.put("empty_sequential", Sequential::new);
        PRINTED.put("dropout_default", Dropout::new);
        PRINTED.put("dropout_small", () -> new Dropout(1e-5));
        PRINTED.put("dropout_one", () -> new Dropout(1.0));
        PRINTED.put("layer_norm_plain", () -> new LayerNorm(new long[] {4}, 1e-6, false));
        PRINTED.put("flatten", () -> new Flatten(0, 2));
        PRINTED.put("relu", ReLU::new);
        PRINTED.put("tanh", Tanh::new);
        PRINTED.put("sigmoid", Sigmoid::new);
    }

    @TestFactory
    Stream<DynamicTest> every_record_matches_pytorch_on_every_device() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Device d : TestDevices.all()) {
            for (Fixtures.Record r : RECORDS) {
                tests.add(DynamicTest.dynamicTest(r.id() + " [" + d + "]", () -> {
                    Device previous = Device.getDefault();
                    Device.setDefault(d);
                    try {
                        replay(r, d);
                    } finally {
                        Device.setDefault(previous);
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static void replay(Fixtures.Record r, Device d) throws Exception {
        String kind = r.id().substring(0, r.id().indexOf('/'));
        if (kind.equals("print")) {
            String name = r.id().substring("print/".length());
            assertEquals(Fixtures.unescape(r.get("str")), PRINTED.get(name).get().toString(), r.id());
            return;
        }
        DType dtype = r.id().endsWith("float64") ? DType.FLOAT64 : DType.FLOAT32;
        Assumptions.assumeTrue(dtype != DType.FLOAT64 || d.info().supportsFloat64(), d + " has no float64");
        switch (kind) {
            case "model" -> model(r, d, dtype);
            case "linear" -> function(r, d, dtype, t -> t.length == 3 ? Functional.linear(t[0], t[1], t[2])
                    : Functional.linear(t[0], t[1], null), 1e-5);
            case "loss" -> function(r, d, dtype, t -> loss(r, t[0], t[1]), 1e-5);
            case "layer_norm" -> function(r, d, dtype, t -> Functional.layerNorm(t[0],
                    Fixtures.longs(r.params().get("normalized_shape")), t.length > 1 ? t[1] : null,
                    t.length > 2 ? t[2] : null, Double.parseDouble(r.params().get("eps"))), 1e-4);
            case "second" -> second(r, d, dtype);
            case "clip" -> clip(r, d, dtype);
            default -> fail("unknown record kind " + kind);
        }
    }

    private static Tensor loss(Fixtures.Record r, Tensor input, Tensor target) {
        Reduction reduction = Reduction.valueOf(r.params().get("reduction").toUpperCase(Locale.ROOT));
        return r.id().startsWith("loss/mse") ? Functional.mseLoss(input, target, reduction)
                : Functional.l1Loss(input, target, reduction);
    }

    private static void assertClose(Fixtures.TensorSpec expected, Tensor actual, double float32Rtol, String what) {
        Assertions2.assertClose(expected, actual, Assertions2.rtol(expected.dtype(), float32Rtol),
                Assertions2.atol(expected.dtype(), float32Rtol), what);
    }

    /** A model of record_nn.py: weights from its safetensors file, then output, graph, losses, gradients. */
    private static void model(Fixtures.Record r, Device d, DType dtype) throws URISyntaxException {
        String name = r.id().split("/")[1];
        dev.clgrad.nn.Module model = MODELS.get(name).get();
        if (dtype == DType.FLOAT64) {
            model.to(DType.FLOAT64);
        }
        Path weights = Path.of(NnGoldenTest.class.getResource("/golden/" + r.get("weights")).toURI());
        Map<String, Tensor> state = Safetensors.load(weights, d);
        assertEquals(List.of(r.get("keys").split(",")), new ArrayList<>(model.stateDict().keySet()), "state dict keys");
        assertEquals(List.of(), model.loadStateDict(state, true).missingKeys());
        assertEquals(Fixtures.unescape(r.get("str")), model.toString(), "str(model)");
        for (Tensor p : model.parameters()) {
            assertEquals(d, p.device(), "parameter device");
            assertEquals(dtype, p.dtype(), "parameter dtype");
        }
        Tensor x = Fixtures.tensor(r.get("input")).create(d).requiresGrad_();
        Tensor target = Fixtures.tensor(r.get("target")).create(d);
        Tensor out = model.forward(x);
        assertClose(Fixtures.tensor(r.get("output")), out, 1e-4, "output");
        assertEquals(r.get("grad_fn"), GoldenGraphsTest.dump(out.gradFn()), "output grad_fn");
        Map<String, String> losses = labelled(r.all("loss"));
        Map<String, String> lossFns = labelled(r.all("loss_fn"));
        Map<String, String> gradouts = labelled(r.all("gradout"));
        Map<String, String> grads = labelled(r.all("grad"));
        for (Map.Entry<String, String> e : losses.entrySet()) {
            String label = e.getKey();
            model.zeroGrad();
            x.setGrad(null);
            Reduction reduction = Reduction.valueOf(label.split("/")[1].toUpperCase(Locale.ROOT));
            Tensor prediction = model.forward(x);
            Tensor loss = label.startsWith("mse") ? Functional.mseLoss(prediction, target, reduction)
                    : Functional.l1Loss(prediction, target, reduction);
            assertClose(Fixtures.tensor(e.getValue()), loss, 1e-4, label + " value");
            assertEquals(lossFns.get(label), GoldenGraphsTest.dump(loss.gradFn()), label + " grad_fn");
            String gradout = gradouts.get(label);
            loss.backward(gradout == null ? null : Fixtures.tensor(gradout).create(d));
            for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
                assertClose(Fixtures.tensor(grads.get(label + " " + p.getKey())), p.getValue().grad(), 1e-4,
                        label + " grad of " + p.getKey());
            }
            assertClose(Fixtures.tensor(grads.get(label + " input")), x.grad(), 1e-4, label + " grad of the input");
        }
    }

    /** Lines {@code <label> <rest>} (or {@code <label> <name> <rest>} for grads) keyed by all but the tensor. */
    private static Map<String, String> labelled(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : lines) {
            int tensorStart = l.indexOf(" float");
            out.put(l.substring(0, tensorStart == -1 ? l.indexOf(' ') : tensorStart),
                    l.substring((tensorStart == -1 ? l.indexOf(' ') : tensorStart) + 1));
        }
        return out;
    }

    private static Tensor[] leaves(Fixtures.Record r, Device d) {
        List<String> inputs = r.all("input");
        Tensor[] t = new Tensor[inputs.size()];
        for (int i = 0; i < t.length; i++) {
            Fixtures.TensorSpec spec = Fixtures.tensor(inputs.get(i));
            t[i] = spec.create(d).requiresGrad_(spec.has("grad"));
        }
        return t;
    }

    /** A function record: value, graph, and the gradient of each input that requires grad. */
    private static void function(Fixtures.Record r, Device d, DType dtype, Function<Tensor[], Tensor> fn, double rtol) {
        Tensor[] leaves = leaves(r, d);
        Tensor[] args = leaves.clone();
        if ("true".equals(r.params().get("transpose_input"))) {
            args[0] = leaves[0].dim() == 2 ? leaves[0].t() : leaves[0].transpose(0, 1);
        }
        Tensor out = fn.apply(args);
        assertClose(Fixtures.tensor(r.get("output")), out, rtol, "output");
        assertEquals(r.get("grad_fn"), GoldenGraphsTest.dump(out.gradFn()), "grad_fn");
        if (r.get("gradout") == null) {
            return;
        }
        out.backward(Fixtures.tensor(r.get("gradout")).create(d));
        for (String g : r.all("grad")) {
            int i = Integer.parseInt(g.substring(0, g.indexOf(' ')));
            assertClose(Fixtures.tensor(g.substring(g.indexOf(' ') + 1)), leaves[i].grad(), rtol, "grad of input " + i);
        }
    }

    /** Gradients of {@code sum(grad_x(f)^2)}: each composite's backward differentiated again. */
    private static void second(Fixtures.Record r, Device d, DType dtype) {
        Tensor[] t = leaves(r, d);
        String name = r.id().split("/")[1];
        Tensor f = switch (name) {
            case "linear" -> Functional.linear(t[0], t[1], t[2]).pow(2).sum();
            case "mse" -> Functional.mseLoss(t[0].tanh(), t[1]);
            case "layer_norm" -> Functional.layerNorm(t[0], new long[] {4}, t[1], t[2], 1e-5).pow(3).sum();
            default -> throw new AssertionError(name);
        };
        Tensor first = Autograd.grad(List.of(f), List.of(t[0]), null, true, true).get(0);
        assertClose(Fixtures.tensor(r.get("first")), first, 1e-4, "first derivative");
        first.pow(2).sum().backward();
        for (String g : r.all("grad")) {
            int i = Integer.parseInt(g.substring(0, g.indexOf(' ')));
            assertClose(Fixtures.tensor(g.substring(g.indexOf(' ') + 1)), t[i].grad(), 1e-3,
                    "second derivative for input " + i);
        }
    }

    private static void clip(Fixtures.Record r, Device d, DType dtype) {
        List<String> grads = r.all("input");
        List<Tensor> params = new ArrayList<>();
        for (String g : grads) {
            Fixtures.TensorSpec spec = Fixtures.tensor(g);
            Tensor p = Tensor.zeros(spec.shape()).to(dtype).requiresGrad_();
            p.setGrad(spec.create(d));
            params.add(p);
        }
        Tensor noGrad = Tensor.zeros(2).to(dtype).requiresGrad_();
        params.add(noGrad);
        double total = Functional.clipGradNorm_(params, Double.parseDouble(r.params().get("max_norm")));
        Assertions2.assertValuesClose(Fixtures.tensor(r.get("output")).data(), new double[] {total},
                Assertions2.rtol(dtype, 1e-5), 0, "total norm");
        for (String g : r.all("grad")) {
            int i = Integer.parseInt(g.substring(0, g.indexOf(' ')));
            assertClose(Fixtures.tensor(g.substring(g.indexOf(' ') + 1)), params.get(i).grad(), 1e-5, "clipped grad " + i);
        }
        assertNull(noGrad.grad(), "a parameter without grad stays without");
    }
}
