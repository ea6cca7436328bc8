package io.sseline.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;

/**
 * How one stream's bytes reach its container's output: through {@link ServletOutputStream#write(byte[])}
 * followed by a flush, or, on a container whose output is known to send a {@link ByteBuffer} straight
 * to the connection, through that write alone.
 *
 * <pre>{@code
 * ServletOutputStream out = response.getOutputStream();
 * ContainerOutput output = ContainerOutput.of(out);
 * output.write(out, bytes);     // the caller has seen isReady() return true
 * if (output.needsFlush()) {
 *     out.flush();
 * }
 * }</pre>
 *
 * <p><b>Why Jetty gets a path of its own.</b> Jetty's {@code HttpOutput} (the ee10 and ee11
 * environments) copies a {@code byte[]} write smaller than its buffer into a buffer it takes from its
 * pool at the first such write and keeps until the response completes: 4 KiB of direct memory per
 * open stream, idle or not, and a copy and a flush per event. Its {@code write(ByteBuffer)} bypasses
 * that buffer and writes to the connection at once, so the stream holds no buffer between events and
 * needs no flush. Servlet 6.0, which this module compiles against, has no {@code write(ByteBuffer)}
 * (6.1 added it), so the method is looked up on Jetty's class, once per class. Every other container
 * gets the portable path; so does Jetty if its class ever lacks the method.
 *
 * <p>The arrays handed to {@link #write} are never changed afterwards (queued events are shared and
 * immutable), so the container may keep a reference to one until its write completes. One instance
 * serves every output of a class, so a stream holds no object of its own for this.
 */
final class ContainerOutput {
    /** Jetty's outputs whose {@code write(ByteBuffer)} always goes to the connection without buffering. */
    private static final Set<String> DIRECT_WRITERS =
            Set.of("org.eclipse.jetty.ee10.servlet.HttpOutput", "org.eclipse.jetty.ee11.servlet.HttpOutput");

    private static final MethodType WRITE_BUFFER = MethodType.methodType(void.class, ByteBuffer.class);
    private static final MethodType WRITE_BUFFER_AS_SERVLET =
            MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class);

    /** The portable path, for every class but Jetty's. */
    private static final ContainerOutput PORTABLE = new ContainerOutput(Optional.empty());

    /** The path of each output class. */
    private static final ClassValue<ContainerOutput> BY_CLASS = new ClassValue<>() {
        @Override
        protected ContainerOutput computeValue(Class<?> type) {
            if (!DIRECT_WRITERS.contains(type.getName())) {
                return PORTABLE;
            }
            try {
                return new ContainerOutput(Optional.of(MethodHandles.publicLookup()
                        .findVirtual(type, "write", WRITE_BUFFER)
                        .asType(WRITE_BUFFER_AS_SERVLET)));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return PORTABLE;
            }
        }
    };

    private final Optional<MethodHandle> directWrite;

    private ContainerOutput(Optional<MethodHandle> directWrite) {
        this.directWrite = directWrite;
    }

    /** The path for {@code out}, chosen by its class. */
    static ContainerOutput of(ServletOutputStream out) {
        return BY_CLASS.get(out.getClass());
    }

    /**
     * Hands {@code chunk} to the container through {@code out}, an output of the class this path was
     * chosen for. Call only once {@link ServletOutputStream#isReady()} has returned true since the last
     * write or flush.
     */
    void write(ServletOutputStream out, byte[] chunk) throws IOException {
        if (directWrite.isEmpty()) {
            out.write(chunk);
            return;
        }
        try {
            directWrite.get().invokeExact(out, ByteBuffer.wrap(chunk));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("the container's write failed", t); // write(ByteBuffer) throws no other
        }
    }

    /** Whether what {@link #write} handed over may wait in the container's buffer until a flush. */
    boolean needsFlush() {
        return directWrite.isEmpty();
    }

    @Override
    public String toString() {
        return needsFlush() ? "ContainerOutput{write and flush}" : "ContainerOutput{direct}";
    }
}
