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

    /** {@code torch.tensor(data).reshape(shape)} as int64 (shape as in {@link #of(float[], long...)}). */
    public static Tensor of(long[] data, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromLongs(data, shape, Device.getDefault());
    }

    /** Like {@link #of(long[], long...)} on the given device. */
    public static Tensor of(long[] data, Device device, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(device, "of", "device");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromLongs(data, shape, device);
    }

    /** Like {@link #of(boolean[], long...)} on the given device. */
    public static Tensor of(boolean[] data, Device device, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(device, "of", "device");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromBooleans(data, shape, device);
    }

    /** Like {@link #of(byte[], DType, long...)} on the given device. */
    public static Tensor of(byte[] data, DType dtype, Device device, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(dtype, "of", "dtype");
        Checks.notNull(device, "of", "device");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromUnsignedBytes(data, dtype, shape, device);
    }

    /** {@code torch.tensor(data).reshape(shape)} as bool. */
    public static Tensor of(boolean[] data, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(shape, "of", "shape");
        return Creation.fromBooleans(data, shape, Device.getDefault());
    }

    /**
     * One unsigned value (0..255) per byte, as {@code dtype}: {@link DType#UINT8} keeps the bytes
     * (raw image data), any other dtype converts them ({@code torch.tensor(data, dtype=...)}).
     */
    public static Tensor of(byte[] data, DType dtype, long... shape) {
        Checks.notNull(data, "of", "data");
        Checks.notNull(dtype, "of", "dtype");
        Checks.notNull(shape, "of", "shape");
        return of(data, dtype, Device.getDefault(), shape);
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

    /** {@code torch.full(shape, value)} with an integer value: int64, as PyTorch infers it. */
    public static Tensor full(long value, long... shape) {
        Checks.notNull(shape, "full", "shape");
        return Creation.full(value, DType.INT64, shape, Device.getDefault());
    }

    /** A tensor of {@code value} with the given dtype on the given device. */
    public static Tensor full(double value, DType dtype, Device device, long... shape) {
        Checks.notNull(dtype, "full", "dtype");
        Checks.notNull(device, "full", "device");
        Checks.notNull(shape, "full", "shape");
        return Creation.full(value, dtype, shape, device);
    }

    /**
     * {@code torch.arange(start, end, step, dtype=dtype)}: {@code arange(0, 10, 1, DType.INT64)}
     * counts exactly; the other {@code arange} forms stay float32.
     */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        Checks.notNull(dtype, "arange", "dtype");
        return Creation.arange(start, end, step, dtype, Device.getDefault());
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
        if (meta == null) {
            return null;
        }
        if (meta.grad == null && !isLeaf() && requiresGrad()
                && !(gradFn() != null && gradFn().retainedOutputIs(this))) {
            AutogradMeta.warnNonLeafGradOnce();
        }
        return meta.grad;
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

    /** {@code this + s}; a float scalar makes an integer tensor's result float32, as in PyTorch. */
    public Tensor add(double s) {
        return Pointwise.scalar("add", this, s, ElementwiseOp.ADD_SCALAR, Derivatives.ADD_SCALAR, true);
    }

    /** {@code this + s} with an integer scalar: an integer tensor stays integer. */
    public Tensor add(long s) {
        return Pointwise.scalar("add", this, s, false, ElementwiseOp.ADD_SCALAR, Derivatives.ADD_SCALAR, true);
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

    /** {@code this - s} with an integer scalar: an integer tensor stays integer. */
    public Tensor sub(long s) {
        return Pointwise.scalar("sub", this, -(double) s, false, ElementwiseOp.ADD_SCALAR, Derivatives.SUB_SCALAR,
                true);
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

    /** {@code this * s} with an integer scalar: an integer tensor stays integer. */
    public Tensor mul(long s) {
        return Pointwise.scalar("mul", this, s, false, ElementwiseOp.MUL_SCALAR, Derivatives.MUL_SCALAR, true);
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
        return Activations.relu(this);
    }

    /** {@code cond ? a : b} for a bool {@code cond}, broadcast ({@code torch.where}); as {@link Torch#where}. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Torch.where(cond, a, b);
    }

    /** {@code !this} as a bool tensor: true where an element is zero ({@code logical_not}). */
    public Tensor logicalNot() {
        return Pointwise.compare("logical_not", this, 0L, false, ElementwiseOp.EQ_SCALAR);
    }

    /** Whether the dtype is float32 or float64. */
    public boolean isFloatingPoint() {
        return dtype.isFloatingPoint();
    }

    /** {@code this == other}, broadcast, as a bool tensor (not differentiable). */
    public Tensor eq(Tensor other) {
        Checks.notNull(other, "eq", "other");
        return Pointwise.compare("eq", this, other, ElementwiseOp.EQ);
    }

    /** {@code this == s} as a bool tensor. */
    public Tensor eq(double s) {
        return Pointwise.compare("eq", this, s, true, ElementwiseOp.EQ_SCALAR);
    }

    /** {@code this == s} as a bool tensor, compared as integers on an integer tensor. */
    public Tensor eq(long s) {
        return Pointwise.compare("eq", this, s, false, ElementwiseOp.EQ_SCALAR);
    }

    /** {@code this != other}, broadcast, as a bool tensor (NaN differs from everything). */
    public Tensor ne(Tensor other) {
        Checks.notNull(other, "ne", "other");
        return Pointwise.compare("ne", this, other, ElementwiseOp.NE);
    }

    /** {@code this != s} as a bool tensor. */
    public Tensor ne(double s) {
        return Pointwise.compare("ne", this, s, true, ElementwiseOp.NE_SCALAR);
    }

    /** {@code this != s} as a bool tensor. */
    public Tensor ne(long s) {
        return Pointwise.compare("ne", this, s, false, ElementwiseOp.NE_SCALAR);
    }

    /** {@code this > other}, broadcast, as a bool tensor (NaN compares false). */
    public Tensor gt(Tensor other) {
        Checks.notNull(other, "gt", "other");
        return Pointwise.compare("gt", this, other, ElementwiseOp.GT);
    }

    /** {@code this > s} as a bool tensor. */
    public Tensor gt(double s) {
        return Pointwise.compare("gt", this, s, true, ElementwiseOp.GT_SCALAR);
    }

    /** {@code this > s} as a bool tensor. */
    public Tensor gt(long s) {
        return Pointwise.compare("gt", this, s, false, ElementwiseOp.GT_SCALAR);
    }

    /** {@code this >= other}, broadcast, as a bool tensor. */
    public Tensor ge(Tensor other) {
        Checks.notNull(other, "ge", "other");
        return Pointwise.compare("ge", this, other, ElementwiseOp.GE);
    }

    /** {@code this >= s} as a bool tensor. */
    public Tensor ge(double s) {
        return Pointwise.compare("ge", this, s, true, ElementwiseOp.GE_SCALAR);
    }

    /** {@code this >= s} as a bool tensor. */
    public Tensor ge(long s) {
        return Pointwise.compare("ge", this, s, false, ElementwiseOp.GE_SCALAR);
    }

    /** {@code this < other}, broadcast, as a bool tensor. */
    public Tensor lt(Tensor other) {
        Checks.notNull(other, "lt", "other");
        return Pointwise.compare("lt", this, other, ElementwiseOp.LT_SCALAR);
    }

    /** {@code this < s} as a bool tensor. */
    public Tensor lt(double s) {
        return Pointwise.compare("lt", this, s, true, ElementwiseOp.LT_SCALAR);
    }

    /** {@code this < s} as a bool tensor. */
    public Tensor lt(long s) {
        return Pointwise.compare("lt", this, s, false, ElementwiseOp.LT_SCALAR);
    }

    /** {@code this <= other}, broadcast, as a bool tensor. */
    public Tensor le(Tensor other) {
        Checks.notNull(other, "le", "other");
        return Pointwise.compare("le", this, other, ElementwiseOp.LE_SCALAR);
    }

    /** {@code this <= s} as a bool tensor. */
    public Tensor le(double s) {
        return Pointwise.compare("le", this, s, true, ElementwiseOp.LE_SCALAR);
    }

    /** {@code this <= s} as a bool tensor. */
    public Tensor le(long s) {
        return Pointwise.compare("le", this, s, false, ElementwiseOp.LE_SCALAR);
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

    /**
     * Values and indices of {@link #max(int, boolean)} and {@link #min(int, boolean)}
     * ({@code torch.return_types.max}).
     */
    public record ValuesIndices(Tensor values, Tensor indices) {
    }

    /** Index of the first largest element of the flattened tensor (int64; NaN counts as largest). */
    public Tensor argmax() {
        return Indexing.argExtreme(this, null, false, true);
    }

    /** Indices of the first largest elements along {@code dim} (int64). */
    public Tensor argmax(int dim, boolean keepDim) {
        return Indexing.argExtreme(this, dim, keepDim, true);
    }

    /** Index of the first smallest element of the flattened tensor (int64). */
    public Tensor argmin() {
        return Indexing.argExtreme(this, null, false, false);
    }

    /** Indices of the first smallest elements along {@code dim} (int64). */
    public Tensor argmin(int dim, boolean keepDim) {
        return Indexing.argExtreme(this, dim, keepDim, false);
    }

    /** Largest values along {@code dim} and their first indices ({@code MaxBackward0}). */
    public ValuesIndices max(int dim, boolean keepDim) {
        return Indexing.extremeDim(this, dim, keepDim, true);
    }

    /** Smallest values along {@code dim} and their first indices ({@code MinBackward0}). */
    public ValuesIndices min(int dim, boolean keepDim) {
        return Indexing.extremeDim(this, dim, keepDim, false);
    }

    /** Largest values over {@code dims} (all when empty); ties share the gradient ({@code AmaxBackward0}). */
    public Tensor amax(int[] dims, boolean keepDim) {
        Checks.notNull(dims, "amax", "dims");
        return Indexing.amaxAmin(this, dims, keepDim, true);
    }

    /** Smallest values over {@code dims} (all when empty). */
    public Tensor amin(int[] dims, boolean keepDim) {
        Checks.notNull(dims, "amin", "dims");
        return Indexing.amaxAmin(this, dims, keepDim, false);
    }

    /** {@code softmax} along {@code dim}, stable for any magnitude. */
    public Tensor softmax(int dim) {
        return Softmaxes.softmax(this, dim);
    }

    /** {@code log(softmax(x))} along {@code dim}, computed without overflow or underflow. */
    public Tensor logSoftmax(int dim) {
        return Softmaxes.logSoftmax(this, dim);
    }

    /** {@code log(sum(exp(x)))} along {@code dim}, with the maximum subtracted first. */
    public Tensor logsumexp(int dim, boolean keepDim) {
        return Softmaxes.logsumexp(this, dim, keepDim);
    }

    /** Elements picked along {@code dim} by the int64 {@code index} ({@code torch.gather}). */
    public Tensor gather(int dim, Tensor index) {
        Checks.notNull(index, "gather", "index");
        return Indexing.gather(this, dim, index);
    }

    /** Entries at the 1-D int64 {@code index} along {@code dim} ({@code torch.index_select}). */
    public Tensor indexSelect(int dim, Tensor index) {
        Checks.notNull(index, "indexSelect", "index");
        return Indexing.indexSelect(this, dim, index);
    }

    /** This tensor with {@code src} added at the positions {@code index} gives along {@code dim} (out of place). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        Checks.notNull(index, "scatterAdd", "index");
        Checks.notNull(src, "scatterAdd", "src");
        return Indexing.scatterAdd(this, dim, index, src);
    }

    /** {@code length} entries from {@code start} along {@code dim}, a view ({@code SliceBackward0}). */
    public Tensor narrow(int dim, long start, long length) {
        return Joins.narrow(this, dim, start, length);
    }

    /** {@code x[..., start:end:step, ...]} along {@code dim}, a view; bounds clip as Python's do. */
    public Tensor slice(int dim, long start, long end, long step) {
        return Joins.slice(this, dim, start, end, step);
    }

    /** This tensor as 1-D. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Dims {@code startDim..endDim} merged into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Joins.flatten(this, startDim, endDim);
    }

    /** Views of {@code size} entries along {@code dim}, the last one shorter when needed. */
    public java.util.List<Tensor> split(long size, int dim) {
        return Joins.split(this, size, dim);
    }

    /** {@code chunks} views along {@code dim} ({@code torch.chunk}). */
    public java.util.List<Tensor> chunk(int chunks, int dim) {
        return Joins.chunk(this, chunks, dim);
    }

    /** The tensors joined along {@code dim} ({@code torch.cat}). */
    public static Tensor cat(java.util.List<Tensor> tensors, int dim) {
        return Joins.cat(tensors, dim);
    }

    /** The tensors stacked along a new {@code dim} ({@code torch.stack}). */
    public static Tensor stack(java.util.List<Tensor> tensors, int dim) {
        return Joins.stack(tensors, dim);
    }

    /** {@code value} where the bool {@code mask} is true. */
    public Tensor maskedFill(Tensor mask, double value) {
        Checks.notNull(mask, "maskedFill", "mask");
        return Activations.maskedFill(this, mask, value);
    }

    /** Elements clamped to {@code [min, max]} (NaN stays NaN; a NaN bound is absent). */
    public Tensor clamp(double min, double max) {
        return Activations.clamp(this, min, max);
    }

    /** {@code max(this, min)} elementwise. */
    public Tensor clampMin(double min) {
        return Activations.clampMin(this, min);
    }

    /** {@code min(this, max)} elementwise. */
    public Tensor clampMax(double max) {
        return Activations.clampMax(this, max);
    }

    /** Elementwise maximum, NaN if either is NaN; ties split the gradient. */
    public Tensor maximum(Tensor other) {
        Checks.notNull(other, "maximum", "other");
        return Activations.maximum(this, other);
    }

    /** Elementwise minimum, NaN if either is NaN. */
    public Tensor minimum(Tensor other) {
        Checks.notNull(other, "minimum", "other");
        return Activations.minimum(this, other);
    }

    /** Variance along {@code dim} with Bessel's correction. */
    public Tensor var(int dim, boolean keepDim) {
        return Statistics.var(this, new int[] {dim}, 1, keepDim);
    }

    /** Variance over {@code dims} (all when empty) divided by {@code N - correction}. */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        Checks.notNull(dims, "var", "dims");
        return Statistics.var(this, dims, correction, keepDim);
    }

    /** Standard deviation along {@code dim} with Bessel's correction. */
    public Tensor std(int dim, boolean keepDim) {
        return Statistics.std(this, new int[] {dim}, 1, keepDim);
    }

    /** Standard deviation over {@code dims} (all when empty) with {@code correction}. */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        Checks.notNull(dims, "std", "dims");
        return Statistics.std(this, dims, correction, keepDim);
    }

    /** {@code ln(1 + x)}, accurate near 0. */
    public Tensor log1p() {
        return Activations.log1p(this);
    }

    /** {@code e^x - 1}, accurate near 0. */
    public Tensor expm1() {
        return Activations.expm1(this);
    }

    /** The error function. */
    public Tensor erf() {
        return Activations.erf(this);
    }

    /** GELU in its exact form {@code x/2 (1 + erf(x / sqrt 2))}, PyTorch's default. */
    public Tensor gelu() {
        return Activations.gelu(this);
    }

    /** {@code x * sigmoid(x)}. */
    public Tensor silu() {
        return Activations.silu(this);
    }

    /** {@code x > 0 ? x : slope * x}. */
    public Tensor leakyRelu(double slope) {
        return Activations.leakyRelu(this, slope);
    }

    /** {@code indices} as one-hot int64 rows of {@code classes} ({@code -1}: the largest index + 1). */
    public static Tensor oneHot(Tensor indices, long classes) {
        Checks.notNull(indices, "oneHot", "indices");
        return Indexing.oneHot(indices, classes);
    }

    /** Integers uniform in {@code [low, high)}, int64, on the default device. */
    public static Tensor randint(long low, long high, long... shape) {
        Checks.notNull(shape, "randint", "shape");
        return Creation.randint(low, high, shape, Device.getDefault());
    }

    /** A random permutation of {@code 0..n-1} (int64) from the global generator. */
    public static Tensor randperm(long n) {
        return Creation.randperm(n, Device.getDefault());
    }

    /** Zeros with {@code t}'s shape, dtype and device. */
    public static Tensor zerosLike(Tensor t) {
        return Torch.zerosLike(t);
    }

    /** Ones with {@code t}'s shape, dtype and device. */
    public static Tensor onesLike(Tensor t) {
        return Torch.onesLike(t);
    }

    /** Uniform [0, 1) draws with {@code t}'s shape, dtype and device. */
    public static Tensor randLike(Tensor t) {
        Checks.notNull(t, "randLike", "t");
        return rand(t.dtype(), t.device(), t.shape());
    }

    /** Standard normal draws with {@code t}'s shape, dtype and device. */
    public static Tensor randnLike(Tensor t) {
        Checks.notNull(t, "randnLike", "t");
        return randn(t.dtype(), t.device(), t.shape());
    }

    /** Refills this tensor with uniform draws in {@code [from, to)}. */
    public Tensor uniform_(double from, double to) {
        return RandomFills.uniform(this, from, to);
    }

    /** Refills this tensor with normal draws of mean {@code mean} and deviation {@code std}. */
    public Tensor normal_(double mean, double std) {
        return RandomFills.normal(this, mean, std);
    }

    // ---- in place ----------------------------------------------------------------------

    /** {@code this -= other} (broadcast) in place. */
    public Tensor sub_(Tensor other) {
        Checks.notNull(other, "sub_", "other");
        return InPlace.binary("sub_", this, other, ElementwiseOp.SUB, Derivatives.SUB);
    }

    /** {@code this *= other} (broadcast) in place. */
    public Tensor mul_(Tensor other) {
        Checks.notNull(other, "mul_", "other");
        return InPlace.binary("mul_", this, other, ElementwiseOp.MUL, Derivatives.MUL);
    }

    /** {@code this /= other} (broadcast) in place. */
    public Tensor div_(Tensor other) {
        Checks.notNull(other, "div_", "other");
        return InPlace.binary("div_", this, other, ElementwiseOp.DIV, Derivatives.DIV);
    }

    /** {@code this /= s} in place. */
    public Tensor div_(double s) {
        return InPlace.scalar("div_", this, s, true, ElementwiseOp.DIV_SCALAR, Derivatives.DIV_SCALAR, true);
    }

    /** {@code this += value * t1 * t2} in place ({@code addcmul_}). */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) {
        Checks.notNull(t1, "addcmul_", "t1");
        Checks.notNull(t2, "addcmul_", "t2");
        return InPlaceUpdates.addcmul(this, t1, t2, value);
    }

    /** {@code this += value * t1 / t2} in place ({@code addcdiv_}). */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) {
        Checks.notNull(t1, "addcdiv_", "t1");
        Checks.notNull(t2, "addcdiv_", "t2");
        return InPlaceUpdates.addcdiv(this, t1, t2, value);
    }

    /** {@code this += weight * (end - this)} in place ({@code lerp_}). */
    public Tensor lerp_(Tensor end, double weight) {
        Checks.notNull(end, "lerp_", "end");
        return InPlaceUpdates.lerp(this, end, weight);
    }

    /** Square root in place. */
    public Tensor sqrt_() {
        return InPlace.unary("sqrt_", this, ElementwiseOp.SQRT, Derivatives.SQRT);
    }

    /** Clamps to {@code [min, max]} in place (a NaN bound is absent). */
    public Tensor clamp_(double min, double max) {
        return Activations.clampInPlace(this, min, max);
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

    /** Sets every element to {@code value} (exact on int64 up to 2^53). */
    public Tensor fill_(long value) {
        return InPlace.fill(this, value);
    }

    /** Adds {@code other} (broadcast to this shape) in place. */
    public Tensor add_(Tensor other) {
        Checks.notNull(other, "add_", "other");
        return InPlace.add(this, other);
    }

    /** Adds {@code s} in place. */
    public Tensor add_(double s) {
        return InPlace.addScalar(this, s, true);
    }

    /** Adds the integer {@code s} in place (an integer tensor stays integer). */
    public Tensor add_(long s) {
        return InPlace.addScalar(this, s, false);
    }

    /** Multiplies by {@code s} in place. */
    public Tensor mul_(double s) {
        return InPlace.mulScalar(this, s, true);
    }

    /** Multiplies by the integer {@code s} in place (an integer tensor stays integer). */
    public Tensor mul_(long s) {
        return InPlace.mulScalar(this, s, false);
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor. */
    public Tensor copy_(Tensor src) {
        Checks.notNull(src, "copy_", "src");
        return InPlace.copy(this, src);
    }

    /** Sets whether gradients are computed for this leaf. */
    public Tensor requiresGrad_(boolean requiresGrad) {
        checkOpen("requiresGrad_");
        if (requiresGrad && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad_: only Tensors of floating point dtype can require "
                    + "gradients (this one is " + dtype.pyName() + "); convert it with to(DType.FLOAT32) first");
        }
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
        // an integer or bool result leaves the graph, as in PyTorch
        return target.isFloatingPoint() ? Recorder.record(out, Derivatives.TO_COPY, this) : out;
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

    /** The elements in row-major order as longs (floats truncated toward zero, bools 0 or 1). */
    public long[] toLongArray() {
        return HostAccess.toLongs(this);
    }

    /** The elements in row-major order as booleans (nonzero is true). */
    public boolean[] toBooleanArray() {
        return HostAccess.toBooleans(this);
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
