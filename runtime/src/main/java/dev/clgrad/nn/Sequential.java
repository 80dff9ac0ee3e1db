package dev.clgrad.nn;

import dev.clgrad.Tensor;

/**
 * Modules applied one after another, as {@code torch.nn.Sequential}: the children are named
 * {@code 0}, {@code 1}, ... so parameters are {@code 0.weight}, {@code 2.bias}, ...
 */
public class Sequential extends Module {
    private int size;

    /** The modules, in the order {@link #forward} applies them. */
    public Sequential(Module... modules) {
        Functional.notNull(modules, "Sequential", "modules");
        for (Module m : modules) {
            append(m);
        }
    }

    /** Adds {@code module} at the end (named by its index) and returns this. */
    public Sequential append(Module module) {
        Functional.notNull(module, "Sequential.append", "module");
        registerModule(String.valueOf(size++), module);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("Sequential.get: index " + index + " is out of range for "
                    + size + " modules");
        }
        return module(String.valueOf(i));
    }

    /** How many modules there are. */
    public int size() {
        return size;
    }

    /** Feeds {@code input} through every module in order (an empty Sequential returns it). */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < size; i++) {
            x = module(String.valueOf(i)).forward(x);
        }
        return x;
    }
}
