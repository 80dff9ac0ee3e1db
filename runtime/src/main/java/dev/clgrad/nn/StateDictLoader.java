package dev.clgrad.nn;

import dev.clgrad.Autograd;
import dev.clgrad.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * PyTorch 1.13's {@code load_state_dict}: each module takes the keys under its prefix, copies
 * what matches its own parameters and buffers, and reports the rest; errors are gathered over the
 * whole tree and thrown together, with PyTorch's wording, after every good entry was copied.
 */
final class StateDictLoader {
    private final List<String> missing = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private StateDictLoader() {
    }

    static LoadResult load(Module root, Map<String, Tensor> state, boolean strict) {
        StateDictLoader loader = new StateDictLoader();
        loader.load(root, new LinkedHashMap<>(state), "");
        List<String> messages = new ArrayList<>();
        if (strict && !loader.missing.isEmpty()) {
            messages.add("Missing key(s) in state_dict: " + quoted(loader.missing) + ". ");
        }
        if (strict && !loader.unexpected.isEmpty()) {
            messages.add("Unexpected key(s) in state_dict: " + quoted(loader.unexpected) + ". ");
        }
        messages.addAll(loader.errors);
        if (!messages.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + root.typeName() + ":\n\t"
                    + String.join("\n\t", messages));
        }
        return new LoadResult(loader.missing, loader.unexpected);
    }

    private static String quoted(List<String> keys) {
        return keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
    }

    // recursion depth is the module tree's depth, which is small
    private void load(Module module, Map<String, Tensor> state, String prefix) {
        Map<String, Tensor> local = module.localState();
        for (Map.Entry<String, Tensor> e : local.entrySet()) {
            String key = prefix + e.getKey();
            if (state.containsKey(key)) {
                copy(key, e.getValue(), state.get(key));
            } else {
                missing.add(key);
            }
        }
        for (String key : state.keySet()) {
            if (key.startsWith(prefix)) {
                String name = key.substring(prefix.length()).split("\\.", 2)[0];
                if (!module.registeredModules().containsKey(name) && !local.containsKey(name)) {
                    unexpected.add(key);
                }
            }
        }
        for (Map.Entry<String, Module> c : module.registeredModules().entrySet()) {
            if (c.getValue() != null) {
                String childPrefix = prefix + c.getKey() + ".";
                Map<String, Tensor> childState = new LinkedHashMap<>();
                state.forEach((k, v) -> {
                    if (k.startsWith(childPrefix)) {
                        childState.put(k, v);
                    }
                });
                load(c.getValue(), childState, childPrefix);
            }
        }
    }

    private void copy(String key, Tensor target, Tensor source) {
        if (source == null) {
            errors.add("While copying the parameter named \"" + key + "\", expected torch.Tensor or Tensor-like "
                    + "object from checkpoint but received null");
            return;
        }
        try (var noGrad = Autograd.noGrad()) {
            // PyTorch 0.3 saved scalars as 1-element vectors
            Tensor src = target.dim() == 0 && source.dim() == 1 ? source.get(0) : source;
            if (!Arrays.equals(src.shape(), target.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + PyText.size(src.shape())
                        + " from checkpoint, the shape in current model is " + PyText.size(target.shape()) + ".");
                return;
            }
            Tensor onDevice = src.to(target.device());
            target.copy_(onDevice);
            if (onDevice != src) {
                onDevice.close();
            }
        } catch (RuntimeException ex) {
            errors.add("While copying the parameter named \"" + key + "\", whose dimensions in the model are "
                    + PyText.size(target.shape()) + " and whose dimensions in the checkpoint are "
                    + PyText.size(source.shape()) + ", an exception occurred : (" + ex.getMessage() + ").");
        }
    }
}
