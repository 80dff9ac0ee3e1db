package dev.clgrad.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float64 matmul kernel is the float32 one with the element type replaced (Java has no
 * generics over primitives, and the JIT vectorises only loops over concrete arrays); this
 * keeps the two from drifting apart.
 */
class TwinSourcesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/clgrad/cpu");

    @Test
    void float64_matmul_is_the_float32_matmul_with_the_type_replaced() throws IOException {
        String f32 = code(SOURCES.resolve("MatmulF32.java"))
                .replace("float", "double").replace("Float", "Double").replace("F32", "F64");
        assertEquals(f32, code(SOURCES.resolve("MatmulF64.java")),
                "MatmulF64.java must be MatmulF32.java with float replaced by double; regenerate it");
    }

    @Test
    void float64_vector_tiles_are_the_float32_ones_with_the_type_replaced() throws IOException {
        String f32 = code(SOURCES.resolve("VectorMatmulF32.java"))
                .replace("float", "double").replace("Float", "Double").replace("F32", "F64");
        assertEquals(f32, code(SOURCES.resolve("VectorMatmulF64.java")),
                "VectorMatmulF64.java must be VectorMatmulF32.java with float replaced by double; regenerate it");
    }

    /** The source without its class javadoc, which says which twin it is. */
    private static String code(Path file) throws IOException {
        String s = Files.readString(file);
        int start = s.indexOf("/**");
        int end = s.indexOf("*/", start) + 2;
        return s.substring(0, start) + s.substring(end);
    }
}
