package dev.clgrad.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's side-by-side Fashion-MNIST programs are the files' own lines, and the Java one
 * stays within 1.3 times the lines of its PyTorch twin (non-blank, non-comment lines, imports
 * included), with the counts the README states.
 */
class ReadmeProgramsTest {
    private static final Path JAVA = Path.of("src/main/java/dev/clgrad/examples/FashionMnistCompact.java");
    private static final Path PYTHON = Path.of("src/main/python/fashion_mnist.py");
    private static final Path README = Path.of("../README.md");

    @Test
    void the_java_program_is_at_most_1_3_times_the_lines_of_its_pytorch_twin_as_the_readme_says() throws IOException {
        List<String> java = codeLines(JAVA, true);
        List<String> python = codeLines(PYTHON, false);
        assertTrue(java.size() <= 1.3 * python.size(), "Java " + java.size() + " lines, Python " + python.size());
        String readme = Files.readString(README);
        String claim = "**Java " + java.size() + ", Python " + python.size() + "**";
        assertTrue(readme.contains(claim), "the README should say " + claim);
    }

    @Test
    void the_readme_shows_both_programs_line_for_line() throws IOException {
        List<String> readme = Files.readAllLines(README);
        assertContainsInOrder(readme, codeLines(JAVA, true), JAVA);
        assertContainsInOrder(readme, codeLines(PYTHON, false), PYTHON);
    }

    /** The lines the comparison counts: not blank, not a comment (a Java doc or line comment, a Python # line). */
    private static List<String> codeLines(Path file, boolean java) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> {
            String t = line.strip();
            if (t.isEmpty()) {
                return false;
            }
            return java ? !(t.startsWith("//") || t.startsWith("/*") || t.startsWith("*")) : !t.startsWith("#");
        }).toList();
    }

    private static void assertContainsInOrder(List<String> readme, List<String> lines, Path file) {
        int at = 0;
        for (String line : lines) {
            while (at < readme.size() && !readme.get(at).equals(line)) {
                at++;
            }
            assertTrue(at < readme.size(), "README.md lacks (in order) the line of " + file + ": " + line);
            at++;
        }
    }
}
