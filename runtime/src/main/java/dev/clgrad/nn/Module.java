package dev.clgrad.nn;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The base of every layer, as PyTorch's {@code torch.nn.Module}: a module owns named parameters
 * (leaf tensors that require grad), buffers (state saved with the module but not trained, such as
 * running statistics) and child modules, each kept in registration order. Names are PyTorch's
 * dotted paths ({@code 0.weight}, {@code encoder.fc1.bias}), so state dicts exchange with
 * PyTorch's through {@link dev.clgrad.io.Safetensors}.
 *
 * <p>A subclass registers its state in its constructor and implements {@link #forward}:
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     Mlp() {
 *         registerModule("fc1", new Linear(4, 8));
 *         registerModule("fc2", new Linear(8, 2));
 *     }
 *
 *     public Tensor forward(Tensor x) {
 *         return module("fc2").forward(module("fc1").forward(x).relu());
 *     }
 * }
 * }</pre>
 *
 * <p>Tensors a module owns are taken out of any {@link TensorScope} open when they are
 * registered or moved, so a user's scope never closes them. Under {@code import dev.clgrad.nn.*}
 * this class clashes with {@code java.lang.Module}: import it by name.
 */
public abstract class Module {
    // values may be null: PyTorch keeps a registered None (Linear's absent bias) by name
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new HashSet<>();
    private final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes this module's output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    // ---- registration ------------------------------------------------------------------

    /**
     * Registers {@code param} under {@code name} (replacing a parameter of that name) and returns
     * it; it becomes a leaf that requires grad. A null {@code param} records the name with no
     * tensor, as PyTorch's {@code register_parameter(name, None)}.
     *
     * @throws IllegalArgumentException for an empty name, a name with a dot, a name a buffer or
     *     module already has, or a tensor computed by a recorded op (not a leaf)
     */
    public Tensor registerParameter(String name, Tensor param) {
        checkName("registerParameter", "parameter", name);
        if (buffers.containsKey(name) || modules.containsKey(name)) {
            throw alreadyExists("registerParameter", name);
        }
        if (param != null) {
            if (!param.isLeaf()) {
                throw new IllegalArgumentException("registerParameter: Cannot assign non-leaf Tensor to parameter '"
                        + name + "'. Model parameters must be created explicitly. To express '" + name
                        + "' as a function of another Tensor, compute the value in the forward() method. "
                        + "(the tensor has grad_fn " + param.gradFn() + "; register a detach() of it)");
            }
            param.requiresGrad_(true);
            TensorScope.persist(param);
        }
        parameters.put(name, param);
        return param;
    }

    /**
     * Registers a persistent buffer: saved in {@link #stateDict()} and moved by {@code to}, but
     * not a parameter. Returns {@code tensor}; null records the name with no tensor.
     */
    public Tensor registerBuffer(String name, Tensor tensor) {
        return registerBuffer(name, tensor, true);
    }

    /** As {@link #registerBuffer(String, Tensor)}; a non-persistent buffer stays out of the state dict. */
    public Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        checkName("registerBuffer", "buffer", name);
        if (parameters.containsKey(name) || modules.containsKey(name)) {
            throw alreadyExists("registerBuffer", name);
        }
        if (tensor != null) {
            TensorScope.persist(tensor);
        }
        buffers.put(name, tensor);
        if (persistent) {
            nonPersistentBuffers.remove(name);
        } else {
            nonPersistentBuffers.add(name);
        }
        return tensor;
    }

    /** Registers {@code module} as the child {@code name} (PyTorch's {@code add_module}) and returns it. */
    public <M extends Module> M registerModule(String name, M module) {
        if (name != null && name.contains(".")) {
            throw new IllegalArgumentException("registerModule: module name can't contain \".\", got: " + name
                    + "; register the inner module on its direct parent instead");
        }
        checkName("registerModule", "module", name);
        if (parameters.containsKey(name) || buffers.containsKey(name)) {
            throw alreadyExists("registerModule", name);
        }
        modules.put(name, module);
        return module;
    }

    private static void checkName(String op, String kind, String name) {
        if (name == null) {
            throw new NullPointerException(op + ": argument 'name' is null");
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException(op + ": " + kind + " name can't contain \".\" (got \"" + name
                    + "\"); register it on the module that owns it");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(op + ": " + kind + " name can't be empty string \"\"");
        }
    }

    private static IllegalArgumentException alreadyExists(String op, String name) {
        return new IllegalArgumentException(op + ": attribute '" + name + "' already exists (as a parameter, buffer "
                + "or module of this module); choose another name");
    }

    /** The parameter registered as {@code name} here (not in children), or null. */
    public Tensor parameter(String name) {
        return parameters.get(name);
    }

    /** The buffer registered as {@code name} here (not in children), or null. */
    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** The child registered as {@code name}, or null. */
    public Module module(String name) {
        return modules.get(name);
    }

    // ---- traversal ---------------------------------------------------------------------

    /** Every parameter of this module and its descendants, each once, in {@link #namedParameters()} order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters by dotted name: this module's own in registration order, then each child's
     * recursively (pre-order). A tensor or module reached twice is listed once, under its first
     * name, as PyTorch's {@code named_parameters()}.
     */
    public LinkedHashMap<String, Tensor> namedParameters() {
        return namedMembers(m -> m.parameters);
    }

    /** Every buffer of this module and its descendants, each once. */
    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Buffers by dotted name, in {@link #namedParameters()}'s order and with its de-duplication. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        return namedMembers(m -> m.buffers);
    }

    private LinkedHashMap<String, Tensor> namedMembers(java.util.function.Function<Module, Map<String, Tensor>> of) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> t : of.apply(e.getValue()).entrySet()) {
                if (t.getValue() != null && seen.add(t.getValue())) {
                    out.put(prefix + t.getKey(), t.getValue());
                }
            }
        }
        return out;
    }

    /** The direct children in registration order. */
    public List<Module> children() {
        return new ArrayList<>(namedChildren().values());
    }

    /** The direct children by name, each module once. */
    public LinkedHashMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (e.getValue() != null && seen.add(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** This module and every descendant, each once, in pre-order. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** This module (under {@code ""}) and every descendant by dotted name, each once, in pre-order. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        // an explicit stack: a deep chain of modules must not overflow the Java stack
        List<Map.Entry<String, Module>> stack = new ArrayList<>();
        stack.add(Map.entry("", this));
        while (!stack.isEmpty()) {
            Map.Entry<String, Module> top = stack.remove(stack.size() - 1);
            Module m = top.getValue();
            if (!seen.add(m)) {
                continue;
            }
            out.put(top.getKey(), m);
            List<Map.Entry<String, Module>> children = new ArrayList<>();
            for (Map.Entry<String, Module> c : m.modules.entrySet()) {
                if (c.getValue() != null) {
                    String prefix = top.getKey().isEmpty() ? "" : top.getKey() + ".";
                    children.add(Map.entry(prefix + c.getKey(), c.getValue()));
                }
            }
            Collections.reverse(children);
            stack.addAll(children);
        }
        return out;
    }

    // ---- state dict --------------------------------------------------------------------

    /**
     * Parameters and persistent buffers by dotted name, as PyTorch's {@code state_dict()}: each
     * module's parameters, then its buffers, then its children's entries, recursively. A module
     * reached by two paths appears under both. The values are {@code detach()}ed tensors that share
     * storage with the module's, so they see later updates and need no copy to be saved.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        saveState(out, "");
        return out;
    }

    private void saveState(Map<String, Tensor> out, String prefix) {
        for (Map.Entry<String, Tensor> e : localState().entrySet()) {
            out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Module> c : modules.entrySet()) {
            if (c.getValue() != null) {
                c.getValue().saveState(out, prefix + c.getKey() + ".");
            }
        }
    }

    /** This module's own non-null parameters and persistent buffers, in state-dict order. */
    LinkedHashMap<String, Tensor> localState() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        buffers.forEach((k, v) -> {
            if (v != null && !nonPersistentBuffers.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The children as registered, null entries included (state-dict loading walks them). */
    Map<String, Module> registeredModules() {
        return Collections.unmodifiableMap(modules);
    }

    /**
     * Copies {@code state} into this module's existing parameters and buffers (under no-grad;
     * they keep their device and dtype, the values are converted), as PyTorch's
     * {@code load_state_dict}. Keys are matched by dotted name.
     *
     * @param strict whether missing and unexpected keys are an error
     * @return the missing and unexpected keys (both empty after a strict load)
     * @throws IllegalArgumentException (after copying every other entry, as PyTorch) with
     *     PyTorch's message {@code Error(s) in loading state_dict for Linear: ...} when a shape does
     *     not match, or, when {@code strict}, a key is missing or unexpected
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        if (state == null) {
            throw new NullPointerException("loadStateDict: argument 'state' is null");
        }
        return StateDictLoader.load(this, state, strict);
    }

    /** The class name PyTorch prints for this module ({@code _get_name()}). */
    String typeName() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName().substring(getClass().getName().lastIndexOf('.') + 1) : simple;
    }

    // ---- modes -------------------------------------------------------------------------

    /** Training mode for this module and every descendant; returns this module. */
    public <M extends Module> M train() {
        return train(true);
    }

    /**
     * Sets training mode ({@code true}) or evaluation mode for this module and every descendant
     * (Dropout drops only in training); returns this module.
     */
    @SuppressWarnings("unchecked")
    public <M extends Module> M train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return (M) this;
    }

    /** Evaluation mode, {@code train(false)}; returns this module. */
    public <M extends Module> M eval() {
        return train(false);
    }

    /** Whether this module is in training mode (the default). */
    public boolean isTraining() {
        return training;
    }

    // ---- moving --------------------------------------------------------------------------

    /**
     * Moves every parameter (with its gradient) and buffer to {@code device}, and returns this
     * module. Parameters stay the same {@code Tensor} objects ({@link Tensor#setData}, PyTorch's
     * {@code param.data = ...}), so an optimizer made before keeps updating them.
     */
    public <M extends Module> M to(Device device) {
        if (device == null) {
            throw new NullPointerException("to: argument 'device' is null");
        }
        return apply(t -> t.to(device));
    }

    /**
     * Converts every floating point parameter (with its gradient) and buffer to {@code dtype},
     * keeping the parameter objects, and returns this module.
     *
     * @throws IllegalArgumentException when {@code dtype} is not a floating point type
     */
    public <M extends Module> M to(DType dtype) {
        if (dtype == null) {
            throw new NullPointerException("to: argument 'dtype' is null");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("to: nn.Module.to only accepts floating point or complex dtypes, but got "
                    + "desired dtype=torch." + dtype.pyName() + "; convert integer tensors one by one with "
                    + "Tensor.to(DType)");
        }
        return apply(t -> t.dtype().isFloatingPoint() ? t.to(dtype) : t);
    }

    /** PyTorch's {@code _apply}: children first, then own parameters and their grads, then buffers. */
    @SuppressWarnings("unchecked")
    private <M extends Module> M apply(UnaryOperator<Tensor> fn) {
        for (Module child : children()) {
            child.apply(fn);
        }
        try (var noGrad = Autograd.noGrad()) {
            for (Tensor p : parameters.values()) {
                if (p != null) {
                    moveInPlace(p, fn);
                    if (p.grad() != null) {
                        moveInPlace(p.grad(), fn);
                    }
                }
            }
            for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
                if (e.getValue() != null) {
                    e.setValue(TensorScope.persist(fn.apply(e.getValue())));
                }
            }
        }
        return (M) this;
    }

    private static void moveInPlace(Tensor t, UnaryOperator<Tensor> fn) {
        Tensor moved = fn.apply(t);
        if (moved != t) {
            t.setData(moved);
            moved.close();
        }
    }

    // ---- gradients -----------------------------------------------------------------------

    /**
     * Zeroes the gradients of every parameter in place, as PyTorch 1.13's {@code zero_grad()}
     * ({@code set_to_none=False}); parameters without a gradient keep none.
     */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /**
     * With {@code setToNone}, drops every gradient ({@code grad()} becomes null); otherwise zeroes
     * them in place, first detaching a gradient that has history (from {@code createGraph}).
     */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : parameters()) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            if (setToNone) {
                p.setGrad(null);
            } else {
                if (g.gradFn() != null) {
                    g = g.detach();
                    p.setGrad(g);
                } else {
                    g.requiresGrad_(false);
                }
                try (var noGrad = Autograd.noGrad()) {
                    g.zero_();
                }
            }
        }
    }

    // ---- printing ----------------------------------------------------------------------

    /**
     * The one-line description of this module's settings inside its printed parentheses
     * ({@code in_features=4, out_features=3, bias=True}); empty by default. Subclasses override it
     * as PyTorch's {@code extra_repr}.
     */
    protected String extraRepr() {
        return "";
    }

    /**
     * What PyTorch prints for this module: {@code Name(extra)} for a module without children, and
     * one {@code (name): child} line per child, indented by two spaces per level, otherwise.
     */
    @Override
    public String toString() {
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : List.of(extra.split("\n", -1));
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> c : modules.entrySet()) {
            String child = c.getValue() == null ? "None" : c.getValue().toString();
            childLines.add("(" + c.getKey() + "): " + child.replace("\n", "\n  "));
        }
        StringBuilder s = new StringBuilder(typeName()).append('(');
        if (extraLines.size() == 1 && childLines.isEmpty()) {
            s.append(extraLines.get(0));
        } else if (!extraLines.isEmpty() || !childLines.isEmpty()) {
            List<String> lines = new ArrayList<>(extraLines);
            lines.addAll(childLines);
            s.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return s.append(')').toString();
    }
}
