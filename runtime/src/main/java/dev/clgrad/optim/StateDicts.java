package dev.clgrad.optim;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The flat state dict of {@link Optimizer} (format in its class comment): saving and checked loading. */
final class StateDicts {
    static final String STATE = "state.";
    static final String GROUP = "param_groups.0.";

    private StateDicts() {
    }

    static Map<String, Tensor> save(Optimizer opt) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<Tensor> params = opt.distinctParams();
        try (var g = Autograd.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                ParamState s = opt.stateOf(params.get(i));
                if (s == null) {
                    continue;
                }
                if (s.hasStep) {
                    out.put(STATE + i + ".step", Tensor.of(new float[] {s.step}, Device.cpu()));
                }
                for (Map.Entry<String, Tensor> b : s.buffers().entrySet()) {
                    out.put(STATE + i + "." + b.getKey(), b.getValue().clone());
                }
            }
            out.put(GROUP + "lr", hyper(opt.lr()));
            opt.hyperparameters().forEach((k, v) -> out.put(GROUP + k, hyper(v)));
            if (opt.initialLr() != null) {
                out.put(GROUP + "initial_lr", hyper(opt.initialLr()));
            }
            double[] indices = new double[params.size()];
            Arrays.setAll(indices, i -> i);
            out.put(GROUP + "params", Tensor.of(indices, DType.FLOAT64, Device.cpu(), indices.length));
        }
        return out;
    }

    private static Tensor hyper(double v) {
        return Tensor.of(new double[] {v}, DType.FLOAT64, Device.cpu());
    }

    static void load(Optimizer opt, Map<String, Tensor> dict) {
        if (dict == null) {
            throw new IllegalArgumentException("loadStateDict: the state dict is null");
        }
        List<Tensor> params = opt.distinctParams();
        String who = opt.getClass().getSimpleName() + ".loadStateDict";
        Tensor indices = dict.get(GROUP + "params");
        if (indices == null) {
            throw new IllegalArgumentException(who + ": the state dict has no " + GROUP + "params; it is not an "
                    + "optimizer state dict saved by stateDict() (keys: " + dict.keySet() + ")");
        }
        if (indices.numel() != params.size()) {
            throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the "
                    + "size of optimizer's group (" + indices.numel() + " saved parameters, " + params.size()
                    + " in this " + opt.getClass().getSimpleName() + ")");
        }
        List<String> hyperNames = opt.hyperparameters().keySet().stream().toList();
        Map<String, Double> hypers = new LinkedHashMap<>();
        Map<Integer, Map<String, Tensor>> saved = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String key = e.getKey();
            Tensor v = e.getValue();
            if (v == null) {
                throw new IllegalArgumentException(who + ": the value of " + key + " is null");
            }
            if (key.startsWith(GROUP)) {
                String name = key.substring(GROUP.length());
                if (name.equals("params")) {
                    continue;
                }
                if (!name.equals("lr") && !name.equals("initial_lr") && !hyperNames.contains(name)) {
                    throw new IllegalArgumentException(who + ": unexpected key " + key + "; a "
                            + opt.getClass().getSimpleName() + " has lr, initial_lr, " + String.join(", ", hyperNames));
                }
                if (v.numel() != 1) {
                    throw new IllegalArgumentException(who + ": " + key + " must hold one number, got shape "
                            + Arrays.toString(v.shape()));
                }
                hypers.put(name, v.item());
            } else if (key.startsWith("param_groups.")) {
                throw new IllegalArgumentException("loaded state dict has a different number of parameter groups "
                        + "(key " + key + "; a clgrad optimizer has one group, param_groups.0)");
            } else if (key.startsWith(STATE)) {
                String rest = key.substring(STATE.length());
                int dot = rest.indexOf('.');
                int index = dot > 0 ? parseIndex(rest.substring(0, dot)) : -1;
                String name = dot > 0 ? rest.substring(dot + 1) : "";
                if (index < 0 || index >= params.size()) {
                    throw new IllegalArgumentException(who + ": " + key + " names no parameter; expected state.<i>.<name> "
                            + "with i in 0.." + (params.size() - 1));
                }
                if (!name.equals("step") && !opt.bufferNames().contains(name)) {
                    throw new IllegalArgumentException(who + ": unexpected key " + key + "; a "
                            + opt.getClass().getSimpleName() + " keeps step, " + String.join(", ", opt.bufferNames()));
                }
                Tensor p = params.get(index);
                if (!name.equals("step") && !Arrays.equals(v.shape(), p.shape())) {
                    throw new IllegalArgumentException(who + ": " + key + " has shape " + Arrays.toString(v.shape())
                            + " but parameter " + index + " has shape " + Arrays.toString(p.shape()));
                }
                if (name.equals("step") && v.numel() != 1) {
                    throw new IllegalArgumentException(who + ": " + key + " must hold one number, got shape "
                            + Arrays.toString(v.shape()));
                }
                saved.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(name, v);
            } else {
                throw new IllegalArgumentException(who + ": unexpected key " + key + "; an optimizer state dict has "
                        + "state.<i>.<name> and param_groups.0.<name> keys");
            }
        }

        Map<Tensor, ParamState> fresh = new IdentityHashMap<>();
        try (var g = Autograd.noGrad(); var temporaries = TensorScope.open()) {
            for (Map.Entry<Integer, Map<String, Tensor>> e : saved.entrySet()) {
                Tensor p = params.get(e.getKey());
                ParamState s = new ParamState();
                for (Map.Entry<String, Tensor> b : e.getValue().entrySet()) {
                    Tensor v = b.getValue();
                    if (b.getKey().equals("step")) {
                        s.hasStep = true;
                        s.step = (float) v.item();
                    } else {
                        s.put(b.getKey(), copyFor(p, v));
                    }
                }
                fresh.put(p, s);
            }
        }
        opt.replaceState(fresh);
        opt.clearInitialLr();
        hypers.forEach(opt::restore);
    }

    /** A copy of {@code v} on {@code param}'s device and dtype that shares nothing with {@code v}. */
    private static Tensor copyFor(Tensor param, Tensor v) {
        Tensor moved = v.to(param.device()).to(param.dtype());
        return moved == v ? v.clone() : moved;
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
