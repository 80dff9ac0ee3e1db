package dev.clgrad.it;

import dev.clgrad.DType;
import dev.clgrad.Device;
import dev.clgrad.spi.Backend;
import dev.clgrad.spi.Buffer;
import dev.clgrad.spi.Philox;
import dev.clgrad.spi.RandomOp;
import dev.clgrad.spi.View;
import dev.clgrad.spi.HostTransfers;
import dev.clgrad.spi.Layout;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The random spec against an independent Python implementation (tools/golden/philox.py):
 * the Random123 known answers, and draws on every device bit for bit.
 */
class GoldenPhiloxTest {
    private static final List<Fixtures.Record> RECORDS = Fixtures.load("philox.txt");

    @TestFactory
    Stream<DynamicTest> philox_block_matches_random123_known_answers() {
        Fixtures.Record kat = RECORDS.stream().filter(r -> r.id().equals("philox/kat")).findFirst().orElseThrow();
        return kat.all("block").stream().map(line -> DynamicTest.dynamicTest(line, () -> {
            String[] p = line.replace("->", "").trim().split("\\s+");
            int[] ctr = new int[4];
            for (int i = 0; i < 4; i++) {
                ctr[i] = Integer.parseUnsignedInt(p[i], 16);
            }
            int[] out = new int[4];
            Philox.block(ctr, Integer.parseUnsignedInt(p[4], 16), Integer.parseUnsignedInt(p[5], 16), out);
            int[] expected = new int[4];
            for (int i = 0; i < 4; i++) {
                expected[i] = Integer.parseUnsignedInt(p[6 + i], 16);
            }
            assertArrayEquals(expected, out);
        }));
    }

    @TestFactory
    Stream<DynamicTest> random_draws_are_bit_identical_to_the_python_reference_on_every_device() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Device device : TestDevices.all()) {
            for (Fixtures.Record r : RECORDS) {
                if (r.id().equals("philox/kat")) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(r.id() + "[" + device + "]", () -> {
                    Fixtures.TensorSpec values = Fixtures.tensor(r.get("values"));
                    RandomOp op = r.get("op").equals("normal") ? RandomOp.NORMAL : RandomOp.UNIFORM;
                    Backend backend = device.backend();
                    int n = values.data().length;
                    Buffer buffer = backend.allocate(values.dtype().elementType(), n);
                    backend.random(op, Long.parseLong(r.get("seed")), Long.parseLong(r.get("offset")),
                            new View(buffer, Layout.contiguous(values.shape())));
                    double[] actual = new double[n];
                    if (values.dtype() == DType.FLOAT64) {
                        HostTransfers.read(backend, buffer, 0, actual);
                    } else {
                        float[] f = new float[n];
                        HostTransfers.read(backend, buffer, 0, f);
                        for (int i = 0; i < n; i++) {
                            actual[i] = f[i];
                        }
                    }
                    backend.release(buffer);
                    assertArrayEquals(values.data(), actual, 0.0, r.id());
                }));
            }
        }
        return tests.stream();
    }
}
