package dev.clgrad.format;

import dev.clgrad.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.DoubleStream;

/**
 * Renders a floating-point tensor exactly as PyTorch 1.13's {@code str(tensor)} does, with the
 * default print options (precision 4, threshold 1000, edge items 3, line width 80).
 *
 * <p>Two deliberate differences from PyTorch: a non-default dtype is printed as
 * {@code dtype=float64} rather than {@code dtype=torch.float64}, and the device suffix names
 * clgrad devices such as {@code device='opencl:0'}.
 */
public final class TensorFormatter {
    private static final int LINE_WIDTH = 80;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final String PREFIX = "tensor(";
    /** Marks the position of {@code ...} in a list of displayed indices. */
    private static final int ELLIPSIS = -1;

    private final double[] values;
    private final long[] shape;
    private final int[] strides;
    private final boolean summarize;
    private final ElementFormatter formatter;

    /**
     * @param values the elements of {@code shape} in row-major order, or, when {@code summarize},
     *     only those of its edges (see {@link #edgeShape})
     */
    private TensorFormatter(double[] values, long[] shape, boolean summarize, DType dtype) {
        this.values = values;
        this.shape = shape;
        this.summarize = summarize;
        long[] stored = summarize ? edgeShape(shape) : shape;
        this.strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= (int) stored[d];
        }
        DoubleStream.Builder displayed = DoubleStream.builder();
        collectDisplayed(0, 0, displayed);
        double[] shown = displayed.build().toArray();
        this.formatter = dtype.isFloatingPoint() ? new ElementFormatter(shown)
                : ElementFormatter.integral(shown, dtype.isBoolean());
    }

    /**
     * {@code str(tensor)} as PyTorch 1.13 prints it.
     *
     * @param values all elements in row-major logical order (length = product of {@code shape});
     *     for a {@link DType#FLOAT32} tensor these are the exact doubles of the floats
     * @param shape the sizes of the dimensions; empty for a 0-dim tensor
     * @param dtype the element type; anything but the default {@link DType#FLOAT32} adds a
     *     {@code dtype=} suffix
     * @param device the device name, e.g. {@code "opencl:0"}; {@code null} or {@code "cpu"} print
     *     no device suffix
     * @param autogradSuffix {@code null}, or a suffix such as {@code "requires_grad=True"} or
     *     {@code "grad_fn=<AddBackward0>"}, printed last
     * @return the text, e.g. {@code tensor([1.5000, 2.0000], dtype=float64)}
     * @throws IllegalArgumentException if a size is negative or the values do not fill the shape
     */
    public static String format(
            double[] values, long[] shape, DType dtype, String device, String autogradSuffix) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dtype, "dtype");
        checkShape(values, shape);
        return format(values, shape, dtype, device, autogradSuffix, false);
    }

    /**
     * Whether a tensor of {@code numel} elements prints as a summary ({@code ...} past the first
     * and last {@value #EDGE_ITEMS} entries of each long dimension), as PyTorch's threshold says.
     */
    public static boolean summarizes(long numel) {
        return numel > THRESHOLD;
    }

    /**
     * The shape of the elements a summary prints: every dimension longer than twice
     * {@value #EDGE_ITEMS} keeps its first and last {@value #EDGE_ITEMS} entries.
     */
    public static long[] edgeShape(long[] shape) {
        long[] edge = shape.clone();
        for (int d = 0; d < edge.length; d++) {
            edge[d] = Math.min(edge[d], 2L * EDGE_ITEMS);
        }
        return edge;
    }

    /**
     * As {@link #format} for a tensor that {@link #summarizes}, given only the elements of its
     * {@link #edgeShape} in row-major order: so a tensor too large for one host array (a broadcast
     * view of billions of elements) prints as PyTorch prints it.
     */
    public static String formatSummary(
            double[] edgeValues, long[] shape, DType dtype, String device, String autogradSuffix) {
        Objects.requireNonNull(edgeValues, "edgeValues");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dtype, "dtype");
        long n = 1;
        for (long size : edgeShape(shape)) {
            n *= size;
        }
        if (n != edgeValues.length) {
            throw new IllegalArgumentException("the edges of shape " + sizeTuple(shape) + " hold " + n
                    + " elements but " + edgeValues.length + " values were given");
        }
        return format(edgeValues, shape, dtype, device, autogradSuffix, true);
    }

    private static String format(double[] values, long[] shape, DType dtype, String device, String autogradSuffix,
                                 boolean edgesOnly) {

        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        if (device != null && !device.equals("cpu")) {
            suffixes.add("device='" + device + "'");
        }
        String body;
        if (values.length == 0) {
            if (shape.length != 1) {
                suffixes.add("size=" + sizeTuple(shape));
            }
            body = "[]";
        } else if (edgesOnly) {
            body = new TensorFormatter(values, shape, true, dtype).render(0, 0, indent);
        } else {
            boolean summarize = summarizes(values.length);
            body = new TensorFormatter(summarize ? edges(values, shape) : values, shape, summarize, dtype)
                    .render(0, 0, indent);
        }
        // as PyTorch: int64 and bool are default types of Python literals, printed without a
        // dtype, except in an empty tensor
        boolean defaultType = dtype == DType.FLOAT32
                || (values.length > 0 && (dtype == DType.INT64 || dtype == DType.BOOL));
        if (!defaultType) {
            suffixes.add("dtype=" + dtype.pyName());
        }
        if (autogradSuffix != null) {
            suffixes.add(autogradSuffix);
        }
        return addSuffixes(PREFIX + body, suffixes, indent);
    }

    private static void checkShape(double[] values, long[] shape) {
        long numel = 1;
        for (long size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("negative size in shape " + sizeTuple(shape));
            }
            numel = size == 0 || numel <= Integer.MAX_VALUE / size ? numel * size : Long.MAX_VALUE;
        }
        if (numel != values.length) {
            throw new IllegalArgumentException("shape " + sizeTuple(shape) + " holds " + numel
                    + " elements but " + values.length + " values were given");
        }
    }

    /** The elements of {@code values} (all of {@code shape}) that lie in its {@link #edgeShape}. */
    private static double[] edges(double[] values, long[] shape) {
        long[] edge = edgeShape(shape);
        int n = 1;
        for (long size : edge) {
            n *= (int) size;
        }
        double[] out = new double[n];
        int[] index = new int[shape.length];
        for (int k = 0; k < n; k++) {
            int flat = 0;
            for (int d = 0; d < shape.length; d++) {
                int i = index[d] < EDGE_ITEMS || shape[d] <= 2 * EDGE_ITEMS ? index[d]
                        : (int) shape[d] - 2 * EDGE_ITEMS + index[d];
                flat = flat * (int) shape[d] + i;
            }
            out[k] = values[flat];
            for (int d = shape.length - 1; d >= 0 && ++index[d] == edge[d]; d--) {
                index[d] = 0;
            }
        }
        return out;
    }

    /**
     * The stored positions of the entries of dimension {@code dim} that are printed, with
     * {@link #ELLIPSIS} for "...": a summarised long dimension stores only its edges.
     */
    private int[] displayedIndices(int dim) {
        if (summarize && shape[dim] > 2 * EDGE_ITEMS) {
            int[] shown = new int[2 * EDGE_ITEMS + 1];
            for (int i = 0; i < EDGE_ITEMS; i++) {
                shown[i] = i;
                shown[EDGE_ITEMS + 1 + i] = EDGE_ITEMS + i;
            }
            shown[EDGE_ITEMS] = ELLIPSIS;
            return shown;
        }
        int size = (int) shape[dim];
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        return all;
    }

    /** Gathers the values that will be printed; PyTorch picks the number format from them only. */
    private void collectDisplayed(int dim, int offset, DoubleStream.Builder out) {
        if (dim == shape.length) {
            out.add(values[offset]);
            return;
        }
        for (int index : displayedIndices(dim)) {
            if (index != ELLIPSIS) {
                collectDisplayed(dim + 1, offset + index * strides[dim], out);
            }
        }
    }

    /** The sub-tensor starting at dimension {@code dim}, whose bracket sits at column indent. */
    private String render(int dim, int offset, int indent) {
        if (dim == shape.length) {
            return formatter.format(values[offset]);
        }
        if (dim == shape.length - 1) {
            return renderVector(offset, indent);
        }
        List<String> slices = new ArrayList<>();
        for (int index : displayedIndices(dim)) {
            slices.add(index == ELLIPSIS
                    ? "..."
                    : render(dim + 1, offset + index * strides[dim], indent + 1));
        }
        // Blocks of a k-dim tensor are separated by k-1 newlines (blank lines between matrices).
        String separator = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
        return "[" + String.join(separator, slices) + "]";
    }

    /** The innermost dimension: elements joined by ", ", wrapped to the line width. */
    private String renderVector(int offset, int indent) {
        int last = shape.length - 1;
        int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, formatter.width() + 2));
        List<String> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        for (int index : displayedIndices(last)) {
            // The ellipsis counts as one element when wrapping, whatever its width.
            line.add(index == ELLIPSIS
                    ? " ..."
                    : formatter.format(values[offset + index * strides[last]]));
            if (line.size() == perLine) {
                lines.add(String.join(", ", line));
                line.clear();
            }
        }
        if (!line.isEmpty()) {
            lines.add(String.join(", ", line));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    /**
     * Appends the suffixes and the closing parenthesis. A suffix goes on its own line, indented
     * under the opening bracket, when the current line plus {@code ", " + suffix} would pass the
     * line width. Like PyTorch, the current line is measured as its length plus 2.
     */
    private static String addSuffixes(String text, List<String> suffixes, int indent) {
        StringBuilder out = new StringBuilder(text);
        int lastLineLength = text.length() - text.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
                out.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLength = indent + suffix.length();
            } else {
                out.append(", ").append(suffix);
                lastLineLength += suffix.length() + 2;
            }
        }
        return out.append(')').toString();
    }

    /** Python's {@code str(tuple(shape))}, e.g. {@code (0, 3)} or {@code (0,)}. */
    private static String sizeTuple(long[] shape) {
        StringBuilder out = new StringBuilder("(");
        for (int d = 0; d < shape.length; d++) {
            out.append(d == 0 ? "" : ", ").append(shape[d]);
        }
        return out.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
