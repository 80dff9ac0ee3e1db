package dev.clgrad.it;

import dev.clgrad.Device;
import dev.clgrad.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code toString()} against PyTorch's {@code str(tensor)} for every recorded printing case. */
class GoldenPrintingTest {

    @TestFactory
    Stream<DynamicTest> tensors_print_exactly_as_pytorch() {
        return Fixtures.load("printing.txt").stream().map(r -> DynamicTest.dynamicTest(r.id(), () -> {
            Tensor t = Fixtures.tensor(r.get("tensor")).create(Device.cpu());
            if (Boolean.parseBoolean(r.get("requires_grad"))) {
                t.requiresGrad_();
            }
            String expected = Fixtures.unescape(r.get("str")).replace("dtype=torch.", "dtype=");
            assertEquals(expected, t.toString(), r.id());
        }));
    }
}
