package dev.clgrad.cpu;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The few parts of the class file format that {@link FusedLoops} writes: a constant pool, a final
 * class with a public no-argument constructor, one interface and one public method of
 * straight-line code around a single loop.
 *
 * <p>Version 49 (Java 5) class files: their methods need no stack map frames, so a loop can be
 * written without computing any (the JVM verifies such code by type inference).
 */
final class ClassBytes {
    static final int ALOAD = 0x19;
    static final int ASTORE = 0x3a;
    static final int ILOAD = 0x15;
    static final int FLOAD = 0x17;
    static final int DLOAD = 0x18;
    static final int FSTORE = 0x38;
    static final int DSTORE = 0x39;
    static final int AALOAD = 0x32;
    static final int FALOAD = 0x30;
    static final int DALOAD = 0x31;
    static final int FASTORE = 0x51;
    static final int DASTORE = 0x52;
    static final int SIPUSH = 0x11;
    static final int FCONST_0 = 0x0b;
    static final int DCONST_0 = 0x0e;
    static final int D2F = 0x90;
    static final int IINC = 0x84;
    static final int IF_ICMPGE = 0xa2;
    static final int GOTO = 0xa7;
    static final int RETURN = 0xb1;
    static final int INVOKESPECIAL = 0xb7;
    static final int INVOKESTATIC = 0xb8;
    static final int CHECKCAST = 0xc0;
    private static final int WIDE = 0xc4;

    private final ByteArrayOutputStream pool = new ByteArrayOutputStream();
    private final DataOutputStream poolOut = new DataOutputStream(pool);
    private final Map<String, Integer> entries = new HashMap<>();
    private int count = 1;

    /** Index of a UTF-8 constant. */
    int utf8(String s) {
        return entry("U" + s, out -> {
            out.writeByte(1);
            out.writeUTF(s);
        });
    }

    /** Index of a class constant, {@code name} in internal form ({@code java/lang/Object}, {@code [F}). */
    int type(String name) {
        int n = utf8(name);
        return entry("C" + name, out -> {
            out.writeByte(7);
            out.writeShort(n);
        });
    }

    /** Index of a method reference of class {@code owner}. */
    int method(String owner, String name, String descriptor) {
        int c = type(owner);
        int n = utf8(name);
        int d = utf8(descriptor);
        int nt = entry("N" + name + descriptor, out -> {
            out.writeByte(12);
            out.writeShort(n);
            out.writeShort(d);
        });
        return entry("M" + owner + "." + name + descriptor, out -> {
            out.writeByte(10);
            out.writeShort(c);
            out.writeShort(nt);
        });
    }

    private interface Entry {
        void write(DataOutputStream out) throws IOException;
    }

    private int entry(String key, Entry e) {
        Integer at = entries.get(key);
        if (at != null) {
            return at;
        }
        try {
            e.write(poolOut);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        entries.put(key, count);
        return count++;
    }

    /**
     * The class file: {@code name} (internal form) extends Object, implements {@code iface}, has a
     * public no-argument constructor and the public method {@code name}{@code descriptor} with
     * {@code code}.
     */
    byte[] finish(String name, String iface, String methodName, String descriptor, Code code) {
        int self = type(name);
        int object = type("java/lang/Object");
        int api = type(iface);
        int init = method("java/lang/Object", "<init>", "()V");
        int initName = utf8("<init>");
        int voidDesc = utf8("()V");
        int codeName = utf8("Code");
        int mName = utf8(methodName);
        int mDesc = utf8(descriptor);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(49);
            out.writeShort(count);
            pool.writeTo(out);
            out.writeShort(0x0001 | 0x0010 | 0x0020); // public final super
            out.writeShort(self);
            out.writeShort(object);
            out.writeShort(1);
            out.writeShort(api);
            out.writeShort(0); // fields
            out.writeShort(2); // methods
            Code ctor = new Code();
            ctor.op(0x2a); // aload_0
            ctor.op(INVOKESPECIAL);
            ctor.u2(init);
            ctor.op(RETURN);
            writeMethod(out, initName, voidDesc, codeName, ctor, 1, 1);
            writeMethod(out, mName, mDesc, codeName, code, code.maxStack, code.maxLocals);
            out.writeShort(0); // class attributes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeMethod(DataOutputStream out, int name, int desc, int codeName, Code code, int maxStack,
                                    int maxLocals) throws IOException {
        byte[] b = code.bytes.toByteArray();
        out.writeShort(0x0001); // public
        out.writeShort(name);
        out.writeShort(desc);
        out.writeShort(1);
        out.writeShort(codeName);
        out.writeInt(12 + b.length);
        out.writeShort(maxStack);
        out.writeShort(maxLocals);
        out.writeInt(b.length);
        out.write(b);
        out.writeShort(0); // exception table
        out.writeShort(0); // code attributes
    }

    /** A method body being written. */
    static final class Code {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int maxStack;
        int maxLocals;

        int position() {
            return bytes.size();
        }

        void op(int opcode) {
            bytes.write(opcode);
        }

        void u2(int v) {
            bytes.write(v >>> 8);
            bytes.write(v);
        }

        /** An instruction on local {@code slot}, widened when the slot needs two bytes. */
        void local(int opcode, int slot) {
            if (slot > 255) {
                op(WIDE);
                op(opcode);
                u2(slot);
            } else {
                op(opcode);
                bytes.write(slot);
            }
        }

        /** Pushes an int constant below 32768. */
        void push(int v) {
            op(SIPUSH);
            u2(v);
        }

        /** A branch to {@code target} from an instruction written at {@code from}: its offset. */
        void branch(int opcode, int target) {
            int from = position();
            op(opcode);
            u2(target - from);
        }

        /** Writes a 16-bit branch offset at {@code at + 1} for the instruction at {@code at}. */
        void patch(int at, int target) {
            byte[] b = bytes.toByteArray();
            int offset = target - at;
            b[at + 1] = (byte) (offset >>> 8);
            b[at + 2] = (byte) offset;
            bytes.reset();
            bytes.write(b, 0, b.length);
        }
    }
}
