package dev.clgrad;

import dev.clgrad.autograd.AutogradException;
import dev.clgrad.autograd.Derivatives;
import dev.clgrad.autograd.GradFn;
import dev.clgrad.autograd.GradMode;
import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.ElementwiseOp;
import dev.clgrad.spi.Layout;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.View;

import java.util.Arrays;

/**
 * An n-dimensional array of floats on a device, with PyTorch's autograd.
 *
 * <p>Every op returns a new tensor (ops ending in {@code _} modify this one and return it).
 * Binary ops broadcast as NumPy does; dims may be negative, counting from the end. Views
 * ({@link #view}, {@link #t}, {@link #get}, ...) share storage and the in-place version
 * counter with their base. When an input requires grad, the result records how it was made
 * ({@link #gradFn()}), and {@link #backward()} computes gradients into the leaves'
 * {@link #grad()}.
 *
 * <p>Tensors hold device memory: {@link #close()} releases it at once, a {@link TensorScope}
 * releases everything created inside it, and the garbage collector is the safety net.
 * A tensor is not thread-safe; distinct tensors may be used from distinct threads.
 */
public final class Tensor implements AutoCloseable {
    // not final: setData (PyTorch's `t.data = other`) swaps them, so Module.to moves a
    // parameter without changing the object an optimizer holds
    private Device device;
    private DType dtype;
    private Layout layout;
    private Storage storage;
    private final VersionCounter version;
    /** The base this is a differentiable view of (never itself a view), or null. */
    private final Tensor viewBase;
    private TensorResource resource;

    private boolean noGradView;
    /** Autograd state; null until the tensor takes part in autograd. */
    AutogradMeta meta;
    TensorScope scope;

    Tensor(Device device, DType dtype, Layout layout, Storage storage, VersionCounter version,
                   Tensor viewBase) {
        this.device = device;
        this.dtype = dtype;
        this.layout = layout;
        this.storage = storage;
        this.version = version;
        this.viewBase = viewBase;
        this.resource = TensorResource.register(this, storage);
        TensorScope.track(this);
    }

    // ---- internal construction ---------------------------------------------------------

    /** A differentiable view of this tensor's storage with {@code layout}. */
    Tensor aliasWithLayout(Layout layout) {
        storage.retain();
        Tensor v = new Tensor(device, dtype, layout, storage, version, viewBase != null ? viewBase : this);
        v.noGradView = !GradMode.isEnabled();
        return v;
    }

    /** Another tensor over this storage that is not a view for autograd; shares the version counter. */
    Tensor shareStorage(Layout layout, boolean newVersionCounter) {
        storage.retain();
        return new Tensor(device, dtype, layout, storage, newVersionCounter ? new VersionCounter() : version, null);
    }

    View view() {
        return new View(storage.buffer, layout);
    }

    Backend backend() {
        return storage.backend;
    }

    Buffer buffer() {
        return storage.buffer;
    }

    Layout layout() {
        return layout;
    }

    Tensor viewBase() {
        return noGradView ? null : viewBase;
    }

    void bumpVersion() {
        version.bump();
    }

    void checkOpen(String op) {
        if (resource.isReleased()) {
            throw new IllegalStateException(op + ": this tensor was closed (shape " + Shapes.str(layout.shape())
                    + ", " + dtype.pyName() + ", " + device + "); it can no longer be used");
        }
    }

    static void checkSameDevice(String op, Tensor a, Tensor b) {
        if (a.device != b.device) {
            throw new IllegalArgumentException(op + ": expected all tensors to be on the same device, but found at "
                    + "least two devices, " + a.device + " and " + b.device + "; move one with to(Device)");
        }
    }

    AutogradMeta meta() {
        if (meta == null) {
            meta = new AutogradMeta();
        }
        return meta;
    }

    boolean isNoGradView() {
        return noGradView;
    }

    // ---- creation ----------------------------------------------------------------------

    /**
     * {@code torch.tensor(data).reshape(shape)} as float32. With no {@code shape}, one value
     * makes a 0-dim tensor and several a 1-D one; one size may be -1.
     */
    public static Tensor of(float[] data, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromFloats(data, shape, Device.getDefault());
    }

    /** Like {@link #of(float[], long...)} on the given device. */
    public static Tensor of(float[] data, Device device, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(device, "of", "device");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromFloats(data, shape, device);
    }

    /** Like {@link #of(float[], long...)} with the given dtype. */
    public static Tensor of(double[] data, DType dtype, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(dtype, "of", "dtype");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromDoubles(data, dtype, shape, Device.getDefault());
    }

    /** Like {@link #of(double[], DType, long...)} on the given device. */
    public static Tensor of(double[] data, DType dtype, Device device, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(dtype, "of", "dtype");
        Checks.notNull(device, "of", "device");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromDoubles(data, dtype, shape, device);
    }

    /** {@code torch.tensor([v0, v1, ...])}: a 1-D float32 tensor. */
    public static Tensor of(double... values) {
        Checks.notNull(values, "of", "values");
        return Creation.fromDoubles(values, DType.FLOAT32, new long[] {values.length}, Device.getDefault());
    }

    /** {@code torch.tensor([[...], [...]])}: a 2-D float32 tensor; rows must have equal length. */
    public static Tensor of(double[][] rows) {
        Checks.notNull(rows, "of", "rows");
        return Creation.fromRows(rows, Device.getDefault());
    }

    /** {@code torch.tensor(v)}: a 0-dim float32 tensor. */
    public static Tensor scalar(double v) {
        return Creation.fromDoubles(new double[] {v}, DType.FLOAT32, new long[0], Device.getDefault());
    }

    /** A float32 tensor of zeros. */
    public static Tensor zeros(long... shape) {
        Checks.notNull(shape, "zeros", "shape");
        return Creation.full("zeros", 0, DType.FLOAT32, shape, Device.getDefault());
    }

    /** A float32 tensor of ones. */
    public static Tensor ones(long... shape) {
        Checks.notNull(shape, "ones", "shape");
        return Creation.full("ones", 1, DType.FLOAT32, shape, Device.getDefault());
    }

    /** {@code torch.full(shape, value)} as float32. */
    public static Tensor full(double value, long... shape) {
        Checks.notNull(shape, "full", "shape");
        return Creation.full(value, DType.FLOAT32, shape, Device.getDefault());
    }

    /** A tensor of {@code value} with the given dtype on the given device. */
    public static Tensor full(double value, DType dtype, Device device, long... shape) {
        Checks.notNull(dtype, "full", "dtype");
        Checks.notNull(device, "full", "device");
        Checks.notNull(shape, "full", "shape");
        return Creation.full(value, dtype, shape, device);
    }

    /** {@code [0, 1, ..., end)} as float32. */
    public static Tensor arange(double end) {
        return Creation.arange(0, end, 1, Device.getDefault());
    }

    /** {@code [start, start + 1, ..., end)} as float32. */
    public static Tensor arange(double start, double end) {
        return Creation.arange(start, end, 1, Device.getDefault());
    }

    /** {@code [start, start + step, ...)} up to but excluding {@code end}, as float32. */
    public static Tensor arange(double start, double end, double step) {
        return Creation.arange(start, end, step, Device.getDefault());
    }

    /** Uniform samples on [0, 1) from the default generator, float32. */
    public static Tensor rand(long... shape) {
        Checks.notNull(shape, "rand", "shape");
        return Creation.random(RandomOp.UNIFORM, DType.FLOAT32, shape, Device.getDefault());
    }

    /** Standard normal samples from the default generator, float32. */
    public static Tensor randn(long... shape) {
        Checks.notNull(shape, "randn", "shape");
        return Creation.random(RandomOp.NORMAL, DType.FLOAT32, shape, Device.getDefault());
    }

    /** Uniform samples on [0, 1) with the given dtype on the given device. */
    public static Tensor rand(DType dtype, Device device, long... shape) {
        Checks.notNull(dtype, "rand", "dtype");
        Checks.notNull(device, "rand", "device");
        Checks.notNull(shape, "rand", "shape");
        return Creation.random(RandomOp.UNIFORM, dtype, shape, device);
    }

    /** Standard normal samples with the given dtype on the given device. */
    public static Tensor randn(DType dtype, Device device, long... shape) {
        Checks.notNull(dtype, "randn", "dtype");
        Checks.notNull(device, "randn", "device");
        Checks.notNull(shape, "randn", "shape");
        return Creation.random(RandomOp.NORMAL, dtype, shape, device);
    }

    /**
     * Seeds the default generator ({@code torch.manual_seed}): the same seed gives the same
     * numbers on every device.
     */
    public static void manualSeed(long seed) {
        Generator.manualSeed(seed);
    }

    /** Zeros with this tensor's dtype and device. */
    public Tensor newZeros(long... shape) {
        Checks.notNull(shape, "newZeros", "shape");
        return Creation.full(0, dtype, shape, device);
    }

    /** Ones with this tensor's dtype and device. */
    public Tensor newOnes(long... shape) {
        Checks.notNull(shape, "newOnes", "shape");
        return Creation.full(1, dtype, shape, device);
    }

    /**
     * An uninitialised tensor with this tensor's dtype and device, laid out with
     * {@code strides} ({@code new_empty_strided}).
     */
    public Tensor newEmptyStrided(long[] shape, long[] strides) {
        Checks.notNull(shape, "newEmptyStrided", "shape");
        Checks.notNull(strides, "newEmptyStrided", "strides");
        checkOpen("newEmptyStrided");
        return Creation.emptyStrided(device, dtype, shape.clone(), strides.clone());
    }

    // ---- properties --------------------------------------------------------------------

    /** The sizes of each dimension (a copy). */
    public long[] shape() {
        return layout.shape().clone();
    }

    /** Alias of {@link #shape()}. */
    public long[] size() {
        return shape();
    }

    /** The size of dimension {@code dim} (negative counts from the end). */
    public long size(int dim) {
        return layout.shape()[Shapes.wrapDim("size", dim, dim())];
    }

    /** The element strides of each dimension (a copy). */
    public long[] stride() {
        return layout.strides().clone();
    }

    /** The index of this tensor's first element in its storage. */
    public long storageOffset() {
        return layout.offset();
    }

    /** Whether the elements are laid out in row-major order without gaps. */
    public boolean isContiguous() {
        return layout.isContiguous();
    }

    /** Number of dimensions. */
    public int dim() {
        return layout.dim();
    }

    /** Number of elements. */
    public long numel() {
        return layout.numel();
    }

    /** Element type. */
    public DType dtype() {
        return dtype;
    }

    /** The device holding the elements. */
    public Device device() {
        return device;
    }

    /** Whether gradients are computed for this tensor. */
    public boolean requiresGrad() {
        AutogradMeta m = meta;
        return (m != null && (m.leafRequiresGrad || m.gradFn != null))
                || (viewBase() != null && viewBase.requiresGrad());
    }

    /** True unless this tensor was computed by a recorded op ({@code grad_fn is None}). */
    public boolean isLeaf() {
        return gradFn() == null;
    }

    /** The accumulated gradient, or null when none has been computed. */
    public Tensor grad() {
        return meta == null ? null : meta.grad;
    }

    /**
     * Replaces the gradient ({@code x.grad = g}); {@code g} must have this tensor's shape,
     * dtype and device, or be null.
     */
    public void setGrad(Tensor g) {
        if (g != null && (!Arrays.equals(g.layout.shape(), layout.shape()) || g.dtype != dtype
                || g.device != device)) {
            throw new IllegalArgumentException("setGrad: assigned grad has data of a different size or type: "
                    + g.dtype.pyName() + " " + Shapes.str(g.layout.shape()) + " on " + g.device + " for a tensor of "
                    + dtype.pyName() + " " + Shapes.str(layout.shape()) + " on " + device);
        }
        if (g != null) {
            TensorScope.adopt(g, this);
        }
        meta().grad = g;
    }

    /** The node that computed this tensor, or null for a leaf. */
    public GradFn gradFn() {
        return AutogradMeta.gradFn(this);
    }

    /** How many in-place modifications this tensor's storage has seen (shared with its views). */
    public int version() {
        return version.get();
    }

    // ---- arithmetic and math -----------------------------------------------------------

    /** {@code this + other}, broadcast. */
    public Tensor add(Tensor other) {
        Checks.notNull(other, "add", "other");
        return Pointwise.binary("add", this, other, ElementwiseOp.ADD, Derivatives.ADD);
    }

    /** {@code this + s}. */
    public Tensor add(double s) {
        return Pointwise.scalar("add", this, s, ElementwiseOp.ADD_SCALAR, Derivatives.ADD_SCALAR, true);
    }

    /** {@code this - other}, broadcast. */
    public Tensor sub(Tensor other) {
        Checks.notNull(other, "sub", "other");
        return Pointwise.binary("sub", this, other, ElementwiseOp.SUB, Derivatives.SUB);
    }

    /** {@code this - s}. */
    public Tensor sub(double s) {
        return Pointwise.scalar("sub", this, -s, ElementwiseOp.ADD_SCALAR, Derivatives.SUB_SCALAR, true);
    }

    /** {@code s - this} (PyTorch's {@code rsub}). */
    public Tensor rsub(double s) {
        return Pointwise.scalar("rsub", this, s, ElementwiseOp.RSUB_SCALAR, Derivatives.RSUB_SCALAR, false);
    }

    /** {@code this * other}, broadcast. */
    public Tensor mul(Tensor other) {
        Checks.notNull(other, "mul", "other");
        return Pointwise.binary("mul", this, other, ElementwiseOp.MUL, Derivatives.MUL);
    }

    /** {@code this * s}. */
    public Tensor mul(double s) {
        return Pointwise.scalar("mul", this, s, ElementwiseOp.MUL_SCALAR, Derivatives.MUL_SCALAR, true);
    }

    /** {@code this / other}, broadcast. */
    public Tensor div(Tensor other) {
        Checks.notNull(other, "div", "other");
        return Pointwise.binary("div", this, other, ElementwiseOp.DIV, Derivatives.DIV);
    }

    /** {@code this / s}. */
    public Tensor div(double s) {
        return Pointwise.scalar("div", this, s, ElementwiseOp.DIV_SCALAR, Derivatives.DIV_SCALAR, true);
    }

    /** {@code s / this}, recorded as PyTorch does ({@code reciprocal() * s}). */
    public Tensor rdiv(double s) {
        return reciprocal().mul(s);
    }

    /** {@code 1 / this}. */
    public Tensor reciprocal() {
        return Pointwise.scalar("reciprocal", this, 1, ElementwiseOp.RDIV_SCALAR, Derivatives.RECIPROCAL, false);
    }

    /** {@code this ^ exponent}. */
    public Tensor pow(double exponent) {
        return Pointwise.pow(this, exponent);
    }

    /** {@code this ^ exponent}, broadcast. */
    public Tensor pow(Tensor exponent) {
        Checks.notNull(exponent, "pow", "exponent");
        return Pointwise.binary("pow", this, exponent, ElementwiseOp.POW, Derivatives.POW);
    }

    /** {@code base ^ this} ({@code torch.pow(base, this)}). */
    public Tensor rpow(double base) {
        return Pointwise.rpow(this, base);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Pointwise.unary("neg", this, ElementwiseOp.NEG, Derivatives.NEG);
    }

    /** Square root. */
    public Tensor sqrt() {
        return Pointwise.unary("sqrt", this, ElementwiseOp.SQRT, Derivatives.SQRT);
    }

    /** {@code e^this}. */
    public Tensor exp() {
        return Pointwise.unary("exp", this, ElementwiseOp.EXP, Derivatives.EXP);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return Pointwise.unary("log", this, ElementwiseOp.LOG, Derivatives.LOG);
    }

    /** Absolute value. */
    public Tensor abs() {
        return Pointwise.unary("abs", this, ElementwiseOp.ABS, Derivatives.ABS);
    }

    /** -1, 0 or 1 by sign, 0 for NaN ({@code SignBackward0}: its gradient is zero). */
    public Tensor sign() {
        return Pointwise.unary("sign", this, ElementwiseOp.SIGN, Derivatives.SIGN);
    }

    /** Sine. */
    public Tensor sin() {
        return Pointwise.unary("sin", this, ElementwiseOp.SIN, Derivatives.SIN);
    }

    /** Cosine. */
    public Tensor cos() {
        return Pointwise.unary("cos", this, ElementwiseOp.COS, Derivatives.COS);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return Pointwise.unary("tanh", this, ElementwiseOp.TANH, Derivatives.TANH);
    }

    /** {@code 1 / (1 + e^-this)}. */
    public Tensor sigmoid() {
        return Pointwise.unary("sigmoid", this, ElementwiseOp.SIGMOID, Derivatives.SIGMOID);
    }

    /** {@code max(this, 0)}. */
    public Tensor relu() {
        return Pointwise.unary("relu", this, ElementwiseOp.RELU, Derivatives.RELU);
    }

    /** 1 where {@code this == other}, else 0 (same dtype; not differentiable). */
    public Tensor eq(Tensor other) {
        Checks.notNull(other, "eq", "other");
        return Pointwise.binary("eq", this, other, ElementwiseOp.EQ, null);
    }

    /** 1 where {@code this == s}, else 0. */
    public Tensor eq(double s) {
        return Pointwise.scalar("eq", this, s, ElementwiseOp.EQ_SCALAR, null, false);
    }

    /** 1 where {@code this > other}, else 0. */
    public Tensor gt(Tensor other) {
        Checks.notNull(other, "gt", "other");
        return Pointwise.binary("gt", this, other, ElementwiseOp.GT, null);
    }

    /** 1 where {@code this > s}, else 0. */
    public Tensor gt(double s) {
        return Pointwise.scalar("gt", this, s, ElementwiseOp.GT_SCALAR, null, false);
    }

    /** 1 where {@code this != other} (NaN differs from everything), else 0. */
    public Tensor ne(Tensor other) {
        Checks.notNull(other, "ne", "other");
        return eq(other).rsub(1);
    }

    /** 1 where {@code this != s}, else 0. */
    public Tensor ne(double s) {
        return eq(s).rsub(1);
    }

    /** 1 where {@code this < s}, else 0 (NaN compares false). */
    public Tensor lt(double s) {
        return Creation.full(s, dtype, new long[0], device).gt(this);
    }

    /** 1 where {@code this <= s}, else 0 (NaN compares false). */
    public Tensor le(double s) {
        return Creation.full(s, dtype, new long[0], device).ge(this);
    }

    /** 1 where {@code this >= other}, else 0. */
    public Tensor ge(Tensor other) {
        Checks.notNull(other, "ge", "other");
        return Pointwise.binary("ge", this, other, ElementwiseOp.GE, null);
    }

    /** 1 where {@code this >= s}, else 0. */
    public Tensor ge(double s) {
        return ge(Creation.full(s, dtype, new long[0], device));
    }

    /**
     * Matrix product with PyTorch's {@code matmul} rules: 1-D operands are vectors, and
     * leading dims of 3-D+ operands are broadcast batch dims.
     */
    public Tensor matmul(Tensor other) {
        Checks.notNull(other, "matmul", "other");
        return Linalg.matmul(this, other);
    }

    // ---- reductions --------------------------------------------------------------------

    /** Sum of all elements (0-dim). */
    public Tensor sum() {
        return Reductions.sum(this);
    }

    /** Sum over {@code dim}. */
    public Tensor sum(int dim, boolean keepDim) {
        return Reductions.sum(this, new int[] {dim}, keepDim);
    }

    /** Sum over several dims. */
    public Tensor sum(int[] dims, boolean keepDim) {
        Checks.notNull(dims, "sum", "dims");
        return Reductions.sum(this, dims, keepDim);
    }

    /** Mean of all elements (0-dim; NaN for an empty tensor). */
    public Tensor mean() {
        return Reductions.mean(this);
    }

    /** Mean over {@code dim}. */
    public Tensor mean(int dim, boolean keepDim) {
        return Reductions.mean(this, new int[] {dim}, keepDim);
    }

    /** Mean over several dims. */
    public Tensor mean(int[] dims, boolean keepDim) {
        Checks.notNull(dims, "mean", "dims");
        return Reductions.mean(this, dims, keepDim);
    }

    /** Largest element (0-dim); NaN if any element is NaN. */
    public Tensor max() {
        return Reductions.max(this);
    }

    /** Smallest element (0-dim); NaN if any element is NaN. */
    public Tensor min() {
        return Reductions.min(this);
    }

    /** The 2-norm of all elements (0-dim). */
    public Tensor norm() {
        return Reductions.norm(this);
    }

    // ---- shape and views ---------------------------------------------------------------

    /** This tensor with {@code shape} (one size may be -1): a view when strides allow, else a copy. */
    public Tensor reshape(long... shape) {
        Checks.notNull(shape, "reshape", "shape");
        return Views.reshape(this, shape);
    }

    /** A view with {@code shape} (one size may be -1); fails when the strides do not allow one. */
    public Tensor view(long... shape) {
        Checks.notNull(shape, "view", "shape");
        return Views.view(this, shape);
    }

    /** The transpose of a 2-D tensor (0-D and 1-D tensors are returned as views of themselves). */
    public Tensor t() {
        return Views.t(this);
    }

    /** A view with dims {@code dim0} and {@code dim1} swapped. */
    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    /** A view with the dims reordered: result dim {@code i} is this tensor's dim {@code dims[i]}. */
    public Tensor permute(int... dims) {
        Checks.notNull(dims, "permute", "dims");
        return Views.permute(this, dims);
    }

    /** A view broadcast to {@code sizes} (-1 keeps a size); no memory is copied. */
    public Tensor expand(long... sizes) {
        Checks.notNull(sizes, "expand", "sizes");
        return Views.expand(this, sizes);
    }

    /** A view with a size-1 dim inserted at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** A view without dim {@code dim} if its size is 1 (else the same shape). */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    /** A contiguous tensor with the same values: this tensor itself when already contiguous. */
    public Tensor contiguous() {
        return Views.contiguous(this);
    }

    /** The slice at {@code index} along {@code dim}, a view without that dim. */
    public Tensor select(int dim, long index) {
        return Views.select(this, dim, index, false);
    }

    /**
     * A view of this tensor's storage with explicit sizes, strides and storage offset
     * ({@code as_strided}).
     */
    public Tensor asStrided(long[] shape, long[] strides, long storageOffset) {
        Checks.notNull(shape, "asStrided", "shape");
        Checks.notNull(strides, "asStrided", "strides");
        return Views.asStrided(this, shape, strides, storageOffset);
    }

    // ---- indexing ----------------------------------------------------------------------

    /** {@code this[i][j]...}: selects along the leading dims (negative indices count from the end). */
    public Tensor get(long... indices) {
        Checks.notNull(indices, "get", "indices");
        Tensor t = this;
        for (long i : indices) {
            t = Views.select(t, 0, i, true);
        }
        return t;
    }

    /** {@code this[index] = value}, in place and recorded ({@code CopySlices}); returns this. */
    public Tensor set(long index, Tensor value) {
        Checks.notNull(value, "set", "value");
        select(0, index).copy_(value);
        return this;
    }

    /** {@code this[index] = value}, in place; returns this. */
    public Tensor set(long index, double value) {
        select(0, index).fill_(value);
        return this;
    }

    // ---- in place ----------------------------------------------------------------------

    /** Sets every element to 0. */
    public Tensor zero_() {
        return InPlace.zero(this);
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(double value) {
        return InPlace.fill(this, value);
    }

    /** Adds {@code other} (broadcast to this shape) in place. */
    public Tensor add_(Tensor other) {
        Checks.notNull(other, "add_", "other");
        return InPlace.add(this, other);
    }

    /** Adds {@code s} in place. */
    public Tensor add_(double s) {
        return InPlace.addScalar(this, s);
    }

    /** Multiplies by {@code s} in place. */
    public Tensor mul_(double s) {
        return InPlace.mulScalar(this, s);
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor. */
    public Tensor copy_(Tensor src) {
        Checks.notNull(src, "copy_", "src");
        return InPlace.copy(this, src);
    }

    /** Sets whether gradients are computed for this leaf. */
    public Tensor requiresGrad_(boolean requiresGrad) {
        checkOpen("requiresGrad_");
        AutogradMeta.setRequiresGrad(this, requiresGrad);
        return this;
    }

    /** {@code requiresGrad_(true)}. */
    public Tensor requiresGrad_() {
        return requiresGrad_(true);
    }

    // ---- autograd ----------------------------------------------------------------------

    /** Backpropagates from this one-element tensor (gradient 1). */
    public void backward() {
        backward(null, false, false);
    }

    /** Backpropagates {@code gradient} (this tensor's shape; null means 1 for a one-element tensor). */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /** As {@link #backward(Tensor)}, keeping the graph's saved tensors when {@code retainGraph}. */
    public void backward(Tensor gradient, boolean retainGraph) {
        backward(gradient, retainGraph, false);
    }

    /**
     * As {@link #backward(Tensor, boolean)}; with {@code createGraph} the gradients are
     * themselves recorded, for higher-order derivatives.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    /** A tensor sharing storage and version counter, without history and not requiring grad. */
    public Tensor detach() {
        checkOpen("detach");
        return shareStorage(layout, false);
    }

    /** Like {@link #detach()} but with its own version counter ({@code .data}). */
    public Tensor data() {
        checkOpen("data");
        return shareStorage(layout, true);
    }

    /**
     * Makes this tensor hold {@code src}'s elements, shape, dtype and device, sharing its storage
     * (PyTorch's {@code t.data = src}): the object, its autograd state and its version counter
     * stay, so whoever holds this tensor (an optimizer) sees the change. Views made of this
     * tensor before keep the old storage.
     */
    public void setData(Tensor src) {
        Checks.notNull(src, "setData", "src");
        checkOpen("setData");
        src.checkOpen("setData");
        if (src == this) {
            return;
        }
        if (requiresGrad() && !src.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("setData: a tensor that requires grad cannot hold " + src.dtype.pyName()
                    + " data; only floating point tensors can require gradients");
        }
        if (meta != null && (src.device != device || src.dtype != dtype
                || !Arrays.equals(src.layout.shape(), layout.shape()))) {
            meta.dropAccumulator();
        }
        src.storage.retain();
        TensorResource old = resource;
        resource = TensorResource.register(this, src.storage);
        storage = src.storage;
        device = src.device;
        dtype = src.dtype;
        layout = src.layout;
        old.close();
    }

    /** Keeps the gradient of this non-leaf in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad()) {
            throw new AutogradException("retainGrad: can't retain_grad on Tensor that has requires_grad=False");
        }
        GradFn fn = gradFn();
        if (fn != null) {
            fn.retainGradOf(this);
        }
        return this;
    }

    /** A contiguous copy with its own storage ({@code CloneBackward0} when recorded). */
    @Override
    public Tensor clone() {
        return Views.clone(this);
    }

    /** This tensor converted to {@code dtype} (this tensor itself when it has it). */
    public Tensor to(DType target) {
        Checks.notNull(target, "to", "target");
        checkOpen("to");
        if (target == dtype) {
            return this;
        }
        Tensor out = Pointwise.castIfNeeded(this, target);
        return Recorder.record(out, Derivatives.TO_COPY, this);
    }

    /** This tensor on {@code target} (this tensor itself when already there). */
    public Tensor to(Device target) {
        Checks.notNull(target, "to", "target");
        checkOpen("to");
        if (target == device) {
            return this;
        }
        Tensor out = HostAccess.copyTo(this, target);
        return Recorder.record(out, Derivatives.TO_COPY, this);
    }

    // ---- host access -------------------------------------------------------------------

    /** The elements in row-major order as floats. */
    public float[] toFloatArray() {
        return HostAccess.toFloats(this);
    }

    /** The elements in row-major order as doubles. */
    public double[] toDoubleArray() {
        return HostAccess.toDoubles(this);
    }

    /** The value of a one-element tensor. */
    public double item() {
        return HostAccess.item(this);
    }

    /** What PyTorch's {@code str(tensor)} prints, with clgrad's dtype and device suffixes. */
    @Override
    public String toString() {
        return HostAccess.str(this);
    }

    // ---- memory ------------------------------------------------------------------------

    /** Releases this tensor's reference to its storage now; idempotent. Later use is an error. */
    @Override
    public void close() {
        resource.close();
        if (scope != null) {
            scope.untrack(this);
        }
    }

    /** Whether {@link #close()} was called (or a scope closed this tensor). */
    public boolean isClosed() {
        return resource.isReleased();
    }

    /**
     * How many tensors the garbage collector had to reclaim because they were neither closed
     * nor scoped (on every device; their memory went back to the device when they were found).
     */
    public static long gcReclaimedCount() {
        return TensorResource.GC_RECLAIMED.get();
    }
}
