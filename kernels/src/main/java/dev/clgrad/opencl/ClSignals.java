package dev.clgrad.opencl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guards the JVM against OpenCL drivers that replace its signal handlers.
 *
 * <p>The JVM handles SIGSEGV, SIGBUS, SIGFPE and SIGILL itself (implicit null checks, stack
 * banging). Drivers that embed LLVM (PoCL among them) install LLVM's crash handlers when they
 * create a context; those reset to the default action on first delivery, so a JVM thread that
 * takes its routine SIGSEGV while another one does kills the process (exit 139, no hs_err file)
 * at random. The JVM's documented remedy is signal chaining: preload
 * {@code $JAVA_HOME/lib/libjsig.so}, which keeps the JVM's handlers first and calls the
 * driver's only for signals the JVM does not own. The build's test and run commands do that.
 */
final class ClSignals {
    private static final Pattern HANDLER = Pattern.compile("^\\s*(SIGSEGV|SIGBUS|SIGFPE|SIGILL): (.*?), mask=");

    private ClSignals() {
    }

    /** The library that turns signal chaining on for this JVM. */
    static Path chainingLibrary() {
        return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }

    /**
     * True when the JVM's signal handlers are safe from drivers: signal chaining is loaded, or this
     * is not Linux (where the problem was seen and {@code /proc/self/maps} tells).
     */
    static boolean chainingActive() {
        Path maps = Path.of("/proc/self/maps");
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                || !Files.isReadable(maps)) {
            return true;
        }
        try {
            return Files.readString(maps).contains("libjsig");
        } catch (IOException e) {
            return true;
        }
    }

    /** What a message tells the user to do. */
    static String remedy() {
        return "start the JVM with LD_PRELOAD=" + chainingLibrary() + " (the JVM's signal chaining; the README's "
                + "commands and the test build do this)";
    }

    /**
     * The JVM signal handlers some native library has replaced, as HotSpot's {@code VM.info}
     * reports them ({@code SIGSEGV: ... in libLLVM-15.so.1}); empty when none is, or when the
     * report is not available on this JVM.
     */
    static List<String> replacedHandlers() {
        List<String> replaced = new ArrayList<>();
        try {
            String info = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmInfo",
                    new Object[] {null}, new String[] {String[].class.getName()});
            for (String line : info.split("\n")) {
                Matcher m = HANDLER.matcher(line);
                if (m.find() && !m.group(2).contains("libjvm")) {
                    replaced.add(m.group(1) + " -> " + m.group(2));
                }
            }
        } catch (Exception | LinkageError e) {
            return replaced;
        }
        return replaced;
    }
}
