package dev.clgrad.it;

import dev.clgrad.Autograd;
import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.Tensor;
import dev.clgrad.TensorScope;
import dev.clgrad.Torch;
import dev.clgrad.Variable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every public method of the user API, called with null for each reference argument in turn,
 * throws a {@link NullPointerException} whose message names the method (the op) and the
 * argument; arguments where null has a meaning (a backward gradient of ones, no gradOutputs, no
 * grad) are listed and skipped.
 */
class NullArgumentsTest {
    private static final List<Class<?>> API = List.of(Tensor.class, Torch.class, Variable.class, Autograd.class,
            TensorScope.class, Device.class, dev.clgrad.io.Safetensors.class);
    /** {@code Class.method#argument} where null is allowed. */
    private static final Set<String> NULL_ALLOWED = Set.of("Tensor.backward#0", "Tensor.setGrad#0",
            "Autograd.grad#2", "Tensor.equals#0", "Device.equals#0");

    @TestFactory
    Stream<DynamicTest> every_null_argument_is_an_exception_naming_the_op_and_the_argument() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<?> type : API) {
            for (Method m : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.isBridge()) {
                    continue;
                }
                Class<?>[] params = m.getParameterTypes();
                for (int i = 0; i < params.length; i++) {
                    String key = type.getSimpleName() + "." + m.getName() + "#" + i;
                    if (params[i].isPrimitive() || NULL_ALLOWED.contains(key)) {
                        continue;
                    }
                    int nullAt = i;
                    tests.add(DynamicTest.dynamicTest(key + " " + Arrays.toString(params),
                            () -> check(type, m, nullAt)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(Class<?> type, Method m, int nullAt) throws Exception {
        Device.setDefault(Device.cpu());
        Class<?>[] params = m.getParameterTypes();
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            args[i] = i == nullAt ? null : sample(params[i]);
        }
        Object target = null;
        if (!Modifier.isStatic(m.getModifiers())) {
            target = type == Tensor.class ? Tensor.ones(2, 2)
                    : type == TensorScope.class ? TensorScope.open()
                    : type == Device.class ? Device.cpu() : null;
        }
        try {
            m.invoke(target, args);
            fail(m + " accepted null as argument " + nullAt);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof NullPointerException)) {
                throw new AssertionError(m + " with null argument " + nullAt + " threw " + cause, cause);
            }
            String msg = String.valueOf(cause.getMessage());
            assertTrue(msg.contains(m.getName()) && msg.contains("null"), m + ": " + msg);
        } finally {
            if (target instanceof TensorScope s) {
                s.close();
            }
        }
    }

    private static Object sample(Class<?> c) {
        if (c == Tensor.class) {
            return Tensor.ones(2, 2);
        }
        if (c == long[].class) {
            return new long[] {2, 2};
        }
        if (c == int[].class) {
            return new int[] {0};
        }
        if (c == double[].class) {
            return new double[] {1, 1, 1, 1};
        }
        if (c == byte[].class) {
            return new byte[] {1, 1, 1, 1};
        }
        if (c == boolean[].class) {
            return new boolean[] {true, false, true, true};
        }
        if (c == float[].class) {
            return new float[] {1, 1, 1, 1};
        }
        if (c == double[][].class) {
            return new double[][] {{1, 1}, {1, 1}};
        }
        if (c == DType.class) {
            return DType.FLOAT32;
        }
        if (c == Device.class) {
            return Device.cpu();
        }
        if (c == List.class) {
            return List.of(Tensor.ones(2, 2));
        }
        if (c == String.class) {
            return "cpu";
        }
        if (c == Tensor[].class) {
            return new Tensor[] {Tensor.ones(2, 2)};
        }
        if (c == long.class) {
            return 1L;
        }
        if (c == int.class) {
            return 0;
        }
        if (c == double.class) {
            return 1.0;
        }
        if (c == boolean.class) {
            return false;
        }
        if (c == java.util.Map.class) {
            return java.util.Map.of();
        }
        if (c == java.nio.file.Path.class) {
            return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "clgrad-null-test.safetensors");
        }
        if (c == Object.class) {
            return new Object();
        }
        throw new IllegalArgumentException("no sample for " + c);
    }
}
