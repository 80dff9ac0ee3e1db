package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INT64, UINT8 and BOOL tensors on every device, against PyTorch 1.13's behaviour (the expected
 * values and strings were printed by torch 1.13 for the same expressions).
 */
@ExtendWith(OnDevice.class)
class DTypeTest {

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void integer_and_bool_tensors_print_as_pytorch(Device d) {
        OnDevice.use(d);
        String dev = d.isCpu() ? "" : ", device='" + d.name() + "'";
        assertEquals("tensor([1, 2]" + dev + ")", Tensor.of(new long[] {1, 2}).toString());
        assertEquals("tensor([ True, False]" + dev + ")", Tensor.of(new boolean[] {true, false}).toString());
        assertEquals("tensor([1, 2]" + dev + ", dtype=uint8)",
                Tensor.of(new byte[] {1, 2}, DType.UINT8).toString());
        assertEquals("tensor([-10, 200]" + dev + ")", Tensor.of(new long[] {-10, 200}).toString());
        assertEquals("tensor([]" + dev + ", dtype=int64)", Tensor.of(new long[0]).toString());
        assertEquals("tensor([[True, True],\n        [True, True]]" + dev + ")",
                Tensor.of(new boolean[] {true, true, true, true}, 2, 2).toString());
        assertEquals("tensor([[   0,    1,    2,  ...,  997,  998,  999],\n"
                        + "        [1000, 1001, 1002,  ..., 1997, 1998, 1999]]" + dev + ")",
                Tensor.arange(0, 2000, 1, DType.INT64).reshape(2, 1000).toString());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void arithmetic_promotes_as_torch_result_type(Device d) {
        OnDevice.use(d);
        Tensor a = Tensor.of(new long[] {1, 2});
        assertEquals(DType.INT64, a.add(2).dtype());
        assertEquals(DType.FLOAT32, a.add(2.0).dtype());
        assertEquals(DType.FLOAT32, a.div(2).dtype());
        assertArrayEquals(new double[] {0.5, 1}, a.div(2).toDoubleArray());
        assertEquals(DType.INT64, Tensor.of(new boolean[] {true}).add(1).dtype());
        Tensor bytes = Tensor.of(new byte[] {(byte) 250, 10}, DType.UINT8);
        assertEquals(DType.UINT8, bytes.add(1).dtype());
        assertArrayEquals(new long[] {4, 20}, bytes.add(Tensor.of(new byte[] {10, 10}, DType.UINT8)).toLongArray());
        assertEquals(DType.INT64, bytes.add(Tensor.of(new long[] {1, 1})).dtype());
        assertEquals(DType.FLOAT32, bytes.div(255).dtype());
        assertEquals((float) (250 / 255.0), bytes.div(255).toFloatArray()[0]);
        // a 0-dim operand counts only when of a higher kind
        assertEquals(DType.FLOAT32, Tensor.arange(0, 3, 1, DType.INT64).add(Tensor.scalar(0.5)).dtype());
        assertArrayEquals(new double[] {3, 3, 3}, Tensor.ones(3).add(Tensor.of(new long[] {2}, new long[0]))
                .toDoubleArray());
        assertEquals(DType.FLOAT32, Tensor.ones(3).add(Tensor.of(new long[] {2}, new long[0])).dtype());
        assertArrayEquals(new long[] {3, 1}, Tensor.of(new long[] {-3, 1}).abs().toLongArray());
        assertArrayEquals(new long[] {253, 255}, Tensor.of(new byte[] {3, 1}, DType.UINT8).neg().toLongArray());
        assertArrayEquals(new double[] {Math.exp(1), Math.exp(2)}, a.exp().toDoubleArray(), 1e-6);
        assertEquals(DType.INT64, a.mul(Tensor.of(new boolean[] {true, false})).dtype());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void comparisons_return_bool_and_reductions_count_in_int64(Device d) {
        OnDevice.use(d);
        Tensor a = Tensor.of(new long[] {1, 2});
        Tensor lt = a.lt(1.5);
        assertEquals(DType.BOOL, lt.dtype());
        assertArrayEquals(new boolean[] {true, false}, lt.toBooleanArray());
        Tensor x = Tensor.of(new float[] {1, 2, Float.NaN}, 3);
        assertArrayEquals(new boolean[] {true, false, false}, x.eq(1).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true}, x.ne(1.0).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false}, x.gt(1).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false}, x.ge(1).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, false}, x.lt(1).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false}, x.le(Tensor.of(1, 1, 1)).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, Tensor.of(1, 2).eq(Tensor.of(new long[] {1, 3}))
                .toBooleanArray());
        Tensor sum = Tensor.of(new boolean[] {true, false, true}).sum();
        assertEquals(DType.INT64, sum.dtype());
        assertEquals(2, sum.item());
        assertEquals(DType.INT64, Tensor.of(new byte[] {3, 4}, DType.UINT8).sum().dtype());
        assertEquals(7, Tensor.of(new byte[] {3, 4}, DType.UINT8).sum().item());
        assertEquals(DType.BOOL, Tensor.of(new boolean[] {true, false}).max().dtype());
        assertArrayEquals(new long[] {6, 9}, Tensor.of(new long[] {1, 4, 5, 5}, 2, 2).sum(0, false).toLongArray());
        assertEquals(5, Tensor.of(new long[] {1, 4, 5, 2}, 2, 2).max().item());
        assertArrayEquals(new boolean[] {false, true}, Tensor.of(new boolean[] {true, false}).logicalNot()
                .toBooleanArray());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void casts_follow_pytorch(Device d) {
        OnDevice.use(d);
        assertArrayEquals(new long[] {1, -1, Long.MIN_VALUE},
                Tensor.of(new float[] {1.5f, -1.5f, Float.NaN}, 3).to(DType.INT64).toLongArray());
        assertArrayEquals(new long[] {255, 0, 3}, Tensor.of(new float[] {-1f, 256f, 3.7f}, 3).to(DType.UINT8)
                .toLongArray());
        assertArrayEquals(new boolean[] {false, true, false, true},
                Tensor.of(new float[] {0f, Float.NaN, -0f, 2f}, 4).to(DType.BOOL).toBooleanArray());
        assertArrayEquals(new double[] {0, 1}, Tensor.of(new boolean[] {false, true}).to(DType.FLOAT64)
                .toDoubleArray());
        assertArrayEquals(new long[] {0, 255, 7}, Tensor.of(new byte[] {0, (byte) 255, 7}, DType.INT64)
                .toLongArray());
        assertArrayEquals(new long[] {2, 4, 6}, Tensor.arange(2, 8, 2, DType.INT64).toLongArray());
        assertEquals(DType.FLOAT32, Tensor.arange(3).dtype());
        Tensor f = Tensor.of(new float[] {1, 2}, 2).requiresGrad_();
        Tensor i = f.to(DType.INT64);
        assertFalse(i.requiresGrad());
        assertNull(i.gradFn());
        Tensor onOther = Tensor.of(new long[] {7, 8}).to(Device.cpu());
        assertArrayEquals(new long[] {7, 8}, onOther.toLongArray());
        assertEquals(DType.INT64, Tensor.full(3, 2, 2).dtype());
    }

    @ParameterizedTest
    @MethodSource("dev.clgrad.it.OnDevice#devices")
    void integer_tensors_never_require_grad_and_bad_mixes_fail_clearly(Device d) {
        OnDevice.use(d);
        Tensor a = Tensor.of(new long[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, a::requiresGrad_);
        assertTrue(e.getMessage().contains("only Tensors of floating point dtype can require gradients"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, a::mean);
        assertTrue(e.getMessage().contains("mean(): could not infer output dtype"), e.getMessage());
        Tensor m = Tensor.of(new boolean[] {true});
        e = assertThrows(IllegalArgumentException.class, () -> m.sub(m));
        assertTrue(e.getMessage().contains("subtraction, the `-` operator, with a bool tensor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, m::neg);
        assertTrue(e.getMessage().contains("bool"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.of(1, 0), Tensor.ones(2), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("where: expected condition to be a boolean tensor"), e.getMessage());
        IllegalArgumentException cast = assertThrows(IllegalArgumentException.class, () -> m.add_(1));
        assertTrue(cast.getMessage().contains("result type int64 can't be cast to the desired output type bool"),
                cast.getMessage());
        assertArrayEquals(new boolean[] {true}, m.mul_(Tensor.of(new boolean[] {true})).toBooleanArray());
        assertArrayEquals(new long[] {3, 4}, a.add_(2).toLongArray());
        Tensor chosen = Tensor.where(Tensor.of(new boolean[] {true, false}), Tensor.ones(2), Tensor.zeros(2));
        assertArrayEquals(new float[] {1, 0}, chosen.toFloatArray());
    }
}
