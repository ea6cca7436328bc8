package io.sseline.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time the benchmark process used per operation ({@code
 * cpu.time.norm}, ns/op), counting every thread of the forked JVM, the garbage collector's included.
 * On a machine shared with other work, wall-clock throughput swings with what else runs; CPU time per
 * operation counts only the time this process actually ran, so it compares the parsers' cost more
 * steadily.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -jar benchmarks.jar ParserBenchmark -prof gc -prof io.sseline.benchmarks.CpuTimeProfiler
 * }</pre>
 *
 * <p>JMH creates one instance per forked JVM and calls it from one thread.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "CPU time of the whole benchmark process per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    // JMH's interface declares the raw type; a parameterized one would not override it.
    @Override
    @SuppressWarnings("rawtypes")
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuAtStart;
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0 || cpu < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
