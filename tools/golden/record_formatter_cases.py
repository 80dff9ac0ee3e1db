#!/usr/bin/python3
"""Record the golden strings of TensorFormatterTest from real PyTorch 1.13.

Every case below builds a real torch tensor and records str(tensor). Two substitutions make the
text match clgrad's contract while still running PyTorch's own printing code (including its
line-wrapping of suffixes): ``dtype=torch.float64`` is printed as ``dtype=float64``, and a case
with a ``device`` is printed as if the tensor lived on that device (PyTorch's default-device
check is faked for the duration of the call).

Usage (must be the interpreter that has torch 1.13, i.e. /usr/bin/python3):

    /usr/bin/python3 tools/golden/record_formatter_cases.py > \
        runtime/src/test/java/dev/clgrad/format/TensorFormatterTest.java
    /usr/bin/python3 tools/golden/record_formatter_cases.py --table    # human-readable

Values are given either as a flat list (Python floats, emitted as Java double literals and
rounded to float32 on both sides for float32 cases) or as a formula in ``i`` (the flat
row-major index). A formula string must mean the same thing in Java and Python (use double
literals for division, no conditionals); pass a (python, java) pair when it cannot.
"""
import contextlib
import math
import sys

import torch
import torch._tensor_str as tensor_str

NAN, INF = math.nan, math.inf


class Case:
    def __init__(self, name, values=None, shape=None, dtype="float32", device=None,
                 autograd=None, formula=None):
        self.name = name
        self.dtype = dtype
        self.device = device
        self.autograd = autograd  # None, "requires_grad", "add" or "mul"
        if formula is not None:
            self.py_formula, self.java_formula = (
                formula if isinstance(formula, tuple) else (formula, formula))
            self.shape = tuple(shape)
            self.values = None
        else:
            self.values = [float(v) for v in values]
            self.shape = tuple(shape) if shape is not None else (len(self.values),)
            self.py_formula = self.java_formula = None

    def flat_values(self):
        if self.values is not None:
            return self.values
        return [float(eval(self.py_formula, {"i": i})) for i in range(math.prod(self.shape))]


def case(name, values=None, **kwargs):
    return Case(name, values, **kwargs)


CASES = [
    # --- integer mode -----------------------------------------------------------------------
    case("prints_integer_valued_floats_with_trailing_dot", [1, 2, 3]),
    case("right_aligns_negative_integers_to_the_widest_value", [-1, 10, -100, 7]),
    case("prints_all_zero_tensor_as_zero_dot", [0, 0, 0]),
    case("prints_negative_zero_with_its_sign", [0.0, -0.0]),
    case("leaves_negative_zero_unpadded_beside_narrower_integers", [1, -0.0, 2]),
    case("keeps_integer_mode_up_to_one_hundred_million", [100000000, 5e7]),
    case("prints_float32_rounding_of_large_integers", [16777217, 20000]),
    case("switches_integers_to_scientific_above_one_hundred_million", [123456789]),
    case("switches_integers_to_scientific_when_ratio_exceeds_thousand", [1, 10000]),
    case("keeps_integer_mode_when_ratio_is_exactly_thousand", [1, -1000]),
    # --- fixed mode -------------------------------------------------------------------------
    case("prints_fractions_with_four_decimals", [0.1, 0.25, 1.5]),
    case("right_aligns_negative_fractions", [-1.5, 2.25, -0.125, 10.5]),
    case("rounds_binary_ties_half_to_even", [0.15625, 0.84375, 2.71875, 0.5]),
    case("rounds_float32_values_from_their_exact_binary_value", [1.00005, 2.00015, 0.12345]),
    case("carries_rounding_into_the_integer_part", [9.99996, 0.5]),
    case("keeps_fixed_mode_when_ratio_is_exactly_thousand", [0.5, 500]),
    case("prints_negative_zero_unpadded_in_fixed_mode", [0.5, -0.0, -12.25]),
    case("prints_float64_values_with_dtype_suffix", [0.1, 0.2, -3.75], dtype="float64"),
    case("keeps_float64_ten_to_minus_four_in_fixed_mode", [1e-4, 1e-3], dtype="float64"),
    # --- scientific mode --------------------------------------------------------------------
    case("switches_to_scientific_for_values_below_ten_to_minus_four", [1e-5, 0.5]),
    case("prints_a_single_small_value_in_scientific_notation", [1e-5]),
    case("treats_float32_ten_to_minus_four_as_below_the_limit", [1e-4, 1e-3]),
    case("switches_to_scientific_when_ratio_exceeds_thousand", [0.1, 1000.5, -2.5]),
    case("switches_to_scientific_above_one_hundred_million", [123456789.5, 200000000.25],
         dtype="float64"),
    case("rounds_up_to_the_next_exponent_in_scientific_mode", [9.99996e-5, 1.0]),
    case("prints_three_digit_exponents", [1e-300, -2.5e150], dtype="float64"),
    case("right_aligns_scientific_values_with_nan_and_infinities", [1e-5, NAN, INF, -INF, -0.0]),
    # --- non-finite values ------------------------------------------------------------------
    case("pads_nan_to_the_width_of_fixed_values", [NAN, 1.5, -2.25]),
    case("prints_infinities_unpadded_in_integer_mode", [1, INF, -INF, NAN]),
    case("prints_only_non_finite_and_zero_values_without_padding", [INF, -INF, NAN, 0.0]),
    # --- scalars and empty tensors ----------------------------------------------------------
    case("prints_zero_dim_fraction_without_brackets", [1.5], shape=()),
    case("prints_zero_dim_integer_with_trailing_dot", [3], shape=()),
    case("prints_zero_dim_nan", [NAN], shape=()),
    case("prints_zero_dim_small_value_in_scientific_notation", [-1.25e-7], shape=()),
    case("prints_zero_dim_float64_with_dtype_suffix", [2.5], shape=(), dtype="float64"),
    case("prints_empty_vector_without_size", [], shape=(0,)),
    case("prints_empty_matrix_with_size", [], shape=(0, 3)),
    case("prints_size_before_dtype_for_empty_float64", [], shape=(2, 0, 4), dtype="float64"),
    case("prints_device_before_size_for_empty_tensors", [], shape=(0, 3), device="opencl:0"),
    case("prints_empty_tensor_with_requires_grad", [], shape=(0,), autograd="requires_grad"),
    # --- layout -----------------------------------------------------------------------------
    case("prints_matrix_rows_on_separate_lines", [1, 2, 3, 4], shape=(2, 2)),
    case("prints_single_column_matrix", [0.5, -1.5, 2.0], shape=(3, 1)),
    case("prints_nested_single_element", [5], shape=(1, 1, 1)),
    case("separates_matrices_of_3d_tensor_by_blank_line", formula="i * 1.0", shape=(2, 3, 4)),
    case("separates_3d_blocks_of_4d_tensor_by_two_blank_lines", formula="i * 0.5 - 4.0",
         shape=(2, 2, 2, 2)),
    case("wraps_long_integer_vector_at_eighty_columns", formula="i * 1.0", shape=(40,)),
    case("wraps_long_fixed_vector_at_eighty_columns", formula="i * 0.5 - 7.25", shape=(30,)),
    case("wraps_long_scientific_vector_at_eighty_columns", formula="(i + 1) * 1e-6", shape=(20,)),
    case("wraps_matrix_rows_with_deeper_indentation", formula="i * 0.125 - 2.0", shape=(3, 15)),
    case("wraps_every_element_when_wider_than_line", [1.5, 1e-300, 2.0, -3.0, 7.0, 1e300],
         dtype="float64"),
    # --- summarisation ----------------------------------------------------------------------
    case("summarises_vector_of_1001_elements", formula="i * 1.0", shape=(1001,)),
    case("summarises_vector_of_2000_and_wraps_last_element", formula="i * 1.0", shape=(2000,)),
    case("chooses_format_from_displayed_values_only",
         formula=("1e10 if i == 500 else i * 0.25 + 1.0", "i == 500 ? 1e10 : i * 0.25 + 1.0"),
         shape=(1001,)),
    case("summarises_rows_and_columns_of_40_by_40_matrix", formula="i * 0.25 + 1.0",
         shape=(40, 40)),
    case("summarises_every_dimension_of_11_cubed_tensor", formula="(i % 100) * 1.0",
         shape=(11, 11, 11)),
    case("summarises_11_cubed_tensor_in_scientific_mode", formula="i * -0.5", shape=(11, 11, 11)),
    case("summarises_long_rows_but_keeps_few_rows", formula="i * 0.001 + 0.5", shape=(2, 600)),
    case("summarises_float64_with_autograd_suffix", formula="i * 1.0 - 600.0", shape=(1200,),
         dtype="float64", autograd="requires_grad"),
    # --- suffixes ---------------------------------------------------------------------------
    case("prints_no_device_suffix_for_cpu", [1, 2], device="cpu"),
    case("prints_device_suffix", [1, 2], device="opencl:0"),
    case("prints_device_before_dtype", [1, 2], dtype="float64", device="opencl:0"),
    case("prints_requires_grad_suffix", [1, 2], autograd="requires_grad"),
    case("prints_grad_fn_suffix", [1.5, -2.5], autograd="add"),
    case("prints_grad_fn_on_zero_dim_tensor", [3], shape=(), autograd="mul"),
    case("prints_device_dtype_and_grad_fn_in_order", [0.5, 1.5], dtype="float64",
         device="opencl:0", autograd="mul"),
    case("wraps_requires_grad_onto_new_line_after_full_row", formula="i * 0.5 + 0.25",
         shape=(9,), autograd="requires_grad"),
    case("keeps_requires_grad_on_line_that_still_fits", formula="i * 1.0 + 10.0",
         shape=(10,), autograd="requires_grad"),
    case("keeps_suffix_on_line_that_ends_at_column_seventy_nine", formula="i * 0.5 + 0.25",
         shape=(7,), dtype="float64"),
    case("wraps_suffix_that_would_end_exactly_at_column_eighty", formula="(i % 9) * 1.0",
         shape=(13,), autograd="requires_grad"),
    case("wraps_grad_fn_after_last_line_of_wrapped_vector", formula="i * 0.5 + 0.25",
         shape=(18,), autograd="mul"),
    case("wraps_grad_fn_after_last_row_of_matrix", formula="i * 0.5 + 0.25", shape=(2, 9),
         autograd="add"),
    case("wraps_only_the_suffixes_that_overflow", formula="i * 1.5 + 0.25", shape=(6,),
         dtype="float64", device="opencl:0", autograd="mul"),
]


def build_tensor(c):
    dtype = getattr(torch, c.dtype)
    t = torch.tensor(c.flat_values(), dtype=dtype).reshape(c.shape)
    if c.autograd == "requires_grad":
        t.requires_grad_(True)
    elif c.autograd == "add":
        t = torch.zeros(c.shape, dtype=dtype, requires_grad=True) + t
    elif c.autograd == "mul":
        t = torch.ones(c.shape, dtype=dtype, requires_grad=True) * t
    return t


@contextlib.contextmanager
def clgrad_names(device):
    """Make torch's printer say dtype=float64 and, if device is set, device='<device>'."""
    builtin_str = str
    saved_default_device = torch._C._get_default_device

    def short_str(obj):
        if isinstance(obj, torch.dtype):
            return builtin_str(obj).replace("torch.", "")
        if device is not None and isinstance(obj, torch.device):
            return device
        return builtin_str(obj)

    tensor_str.str = short_str
    if device is not None:
        torch._C._get_default_device = lambda: "not-" + device.split(":")[0]
    try:
        yield
    finally:
        del tensor_str.str
        torch._C._get_default_device = saved_default_device


def record(c):
    t = build_tensor(c)
    device = None if c.device in (None, "cpu") else c.device
    with clgrad_names(device):
        text = str(t)
    if c.autograd in ("add", "mul"):
        assert t.grad_fn is not None
    return text


def autograd_suffix(c, t):
    if c.autograd == "requires_grad":
        return "requires_grad=True"
    if c.autograd in ("add", "mul"):
        return "grad_fn=<%s>" % type(t.grad_fn).__name__
    return None


def java_double(v):
    if math.isnan(v):
        return "Double.NaN"
    if math.isinf(v):
        return "Double.POSITIVE_INFINITY" if v > 0 else "Double.NEGATIVE_INFINITY"
    return repr(v)


def java_string(s):
    escaped = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


def java_case(c):
    t = build_tensor(c)
    expected = record(c)
    dtype = c.dtype.upper()
    shape = "shape(" + ", ".join(str(s) for s in c.shape) + ")"
    if c.values is not None:
        args = [dtype, shape] + [java_double(v) for v in c.values]
        lines = [", ".join(args[k:k + 8]) for k in range(0, len(args), 8)]
        source = "tensor(" + (",\n                ").join(lines) + ")"
    else:
        source = "generated(%s, %s, i -> %s)" % (dtype, shape, c.java_formula)
    out = ["    @Test", "    void %s() {" % c.name, "        " + source]
    if c.device is not None:
        out.append("                .onDevice(%s)" % java_string(c.device))
    suffix = autograd_suffix(c, t)
    if suffix is not None:
        out.append("                .withAutograd(%s)" % java_string(suffix))
    text_lines = expected.split("\n")
    literal = [java_string(line + "\n") for line in text_lines[:-1]] + [java_string(text_lines[-1])]
    out.append("                .prints(" + literal[0])
    out.extend("                        + " + piece for piece in literal[1:])
    out[-1] += ");"
    out.append("    }")
    return "\n".join(out)


# Python's own rounding, for the number-formatting unit test (value, '{:.4f}', '{:.4e}').
ROUNDING_VALUES = [0.15625, -0.15625, 0.84375, 2.5e-5, 1.00005, 123456789.0, 9.99995,
                   1.00015, 0.00015, 1e-300, -7.0e22, 5e-324, 0.0, -0.0, 1.0]


def rounding_rows():
    rows = []
    for v in ROUNDING_VALUES:
        rows.append('            "%s, %s, %s"' % (repr(v), "{:.4f}".format(v), "{:.4e}".format(v)))
    return ",\n".join(rows)


HEADER = '''package dev.clgrad.format;

import static dev.clgrad.DType.FLOAT32;
import static dev.clgrad.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clgrad.DType;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares {@link TensorFormatter} with {@code str(tensor)} of real PyTorch 1.13.
 *
 * <p>GENERATED by {@code tools/golden/record_formatter_cases.py}; edit the cases there and
 * re-record with {@code /usr/bin/python3 tools/golden/record_formatter_cases.py > <this file>}.
 */
class TensorFormatterTest {

    /** A tensor under test: values in row-major order plus what the formatter needs. */
    private static final class Case {
        private final DType dtype;
        private final long[] shape;
        private final double[] values;
        private String device;
        private String autograd;

        Case(DType dtype, long[] shape, double[] values) {
            this.dtype = dtype;
            this.shape = shape;
            this.values = values;
        }

        Case onDevice(String name) {
            device = name;
            return this;
        }

        Case withAutograd(String suffix) {
            autograd = suffix;
            return this;
        }

        void prints(String expected) {
            assertEquals(expected, TensorFormatter.format(values, shape, dtype, device, autograd));
        }
    }

    private static long[] shape(long... sizes) {
        return sizes;
    }

    /** Values as a tensor of dtype stores them: float32 rounds each double to float. */
    private static double storable(DType dtype, double v) {
        return dtype == FLOAT32 ? (double) (float) v : v;
    }

    private static Case tensor(DType dtype, long[] shape, double... values) {
        double[] stored = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            stored[i] = storable(dtype, values[i]);
        }
        return new Case(dtype, shape, stored);
    }

    private static Case generated(DType dtype, long[] shape, IntToDoubleFunction valueAt) {
        long numel = 1;
        for (long size : shape) {
            numel *= size;
        }
        double[] values = new double[(int) numel];
        for (int i = 0; i < values.length; i++) {
            values[i] = storable(dtype, valueAt.applyAsDouble(i));
        }
        return new Case(dtype, shape, values);
    }

    @Test
    void rejects_values_that_do_not_fill_the_shape() {
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.format(new double[3], shape(2, 2), FLOAT32, null, null));
    }

    @Test
    void rejects_negative_sizes() {
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.format(new double[0], shape(-1, 0), FLOAT32, null, null));
    }

    /** Python's {@code '{:.4f}'} and {@code '{:.4e}'}, which round the exact binary value. */
    @ParameterizedTest
    @CsvSource({
%s
    })
    void rounds_numbers_like_python_format(double value, String fixed, String scientific) {
        assertEquals(fixed, ElementFormatter.fixed(value, 4));
        assertEquals(scientific, ElementFormatter.scientific(value, 4));
    }
'''


def main():
    if "--table" in sys.argv[1:]:
        for c in CASES:
            print("== %s  shape=%s dtype=%s device=%s autograd=%s"
                  % (c.name, c.shape, c.dtype, c.device, c.autograd))
            print(record(c))
        return
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    print(HEADER % rounding_rows())
    print("\n\n".join(java_case(c) for c in CASES))
    print("}")


if __name__ == "__main__":
    main()
