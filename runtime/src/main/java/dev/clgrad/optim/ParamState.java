package dev.clgrad.optim;

import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One parameter's optimizer state (PyTorch's {@code optimizer.state[p]}): named buffers on the
 * parameter's device and, for the Adam family, the step count. The buffers belong to the
 * optimizer: no user scope closes them.
 */
final class ParamState {
    /** PyTorch 1.13 keeps the step count as a float32 tensor; a host float counts identically. */
    float step;
    boolean hasStep;
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();

    boolean isEmpty() {
        return !hasStep && buffers.isEmpty();
    }

    Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** The buffer {@code name}, created by {@code init} the first time it is asked for. */
    Tensor buffer(String name, Supplier<Tensor> init) {
        Tensor t = buffers.get(name);
        if (t == null) {
            t = put(name, init.get());
        }
        return t;
    }

    Tensor put(String name, Tensor t) {
        TensorScope.persist(t);
        Tensor old = buffers.put(name, t);
        if (old != null && old != t) {
            old.close();
        }
        return t;
    }

    Map<String, Tensor> buffers() {
        return buffers;
    }

    /**
     * Moves the buffers to {@code param}'s device and dtype when the parameter's storage was
     * swapped ({@code Module.to}), as PyTorch's {@code load_state_dict} casts state to its
     * parameter.
     */
    void follow(Tensor param) {
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            Tensor t = e.getValue();
            if (t.device() != param.device() || t.dtype() != param.dtype()) {
                Tensor moved = TensorScope.persist(t.to(param.device()).to(param.dtype()));
                t.close();
                e.setValue(moved);
            }
        }
    }

    void close() {
        buffers.values().forEach(Tensor::close);
        buffers.clear();
        hasStep = false;
        step = 0;
    }
}
