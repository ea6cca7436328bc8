package io.sseline.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts that keep the epoch and the stream consistent: each runs atomically in Redis, so
 * an entry id is always labelled with the epoch of the stream it was appended to.
 *
 * <p>Keys: {@code KEYS[1]} the stream, {@code KEYS[2]} the epoch. A missing epoch (a new log, or a
 * Redis that lost its data) is created from the candidate the caller passes, so that every id issued
 * from then on carries it and ids from before are recognised as foreign.
 */
public final class Scripts {
    private static final String EPOCH = """
            local epoch = redis.call('GET', KEYS[2])
            if not epoch then
              epoch = ARGV[1]
              redis.call('SET', KEYS[2], epoch)
            end
            """;

    /**
     * Appends an entry. ARGV: candidate epoch, max length, max age in ms (0: none), channel, type,
     * data, retry in ms ('' for none). Returns {epoch, entry id}.
     */
    public static final Script PUBLISH = new Script(EPOCH + """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*',
                'c', ARGV[4], 't', ARGV[5], 'd', ARGV[6], 'r', ARGV[7])
            if ARGV[3] ~= '0' then
              local now = redis.call('TIME')
              local minid = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[3])
              redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d', minid))
            end
            return {epoch, id}
            """);

    /**
     * Reads the state of the log and, if ARGV[2] is not empty, a page of entries after that stream
     * id, or with ARGV[4] 'back' a page before it, newest first ('+' for the newest entries). ARGV:
     * candidate epoch, stream id to read after or before ('' for none), page size, direction ('back',
     * or none for forward). Returns {epoch, first entry id ('' if none), last entry id ('0-0' if
     * none), 1 if entries were ever removed (or Redis cannot tell) else 0, page}.
     */
    public static final Script READ = new Script(EPOCH + """
            local first, last, removed = '', '0-0', 0
            if redis.call('EXISTS', KEYS[1]) == 1 then
              local f = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
              local l = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
              if #f > 0 then first = f[1][1] end
              if #l > 0 then last = l[1][1] end
              removed = 1
              local length = redis.call('XLEN', KEYS[1])
              local info = redis.call('XINFO', 'STREAM', KEYS[1])
              for i = 1, #info, 2 do
                if info[i] == 'entries-added' and info[i + 1] == length then removed = 0 end
              end
            end
            local page = {}
            if ARGV[2] ~= '' and ARGV[4] == 'back' then
              local before = ARGV[2] == '+' and '+' or '(' .. ARGV[2]
              page = redis.call('XREVRANGE', KEYS[1], before, '-', 'COUNT', ARGV[3])
            elseif ARGV[2] ~= '' then
              page = redis.call('XRANGE', KEYS[1], '(' .. ARGV[2], '+', 'COUNT', ARGV[3])
            end
            return {epoch, first, last, removed, page}
            """);

    /** A script and its SHA-1 digest, run with {@code EVALSHA} and loaded with {@code EVAL} when Redis lacks it. */
    public static final class Script {
        private final String source;
        private final String digest;

        private Script(String source) {
            this.source = source;
            try {
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
                this.digest = HexFormat.of().formatHex(sha);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-1", e);
            }
        }

        /** Runs the script asynchronously. */
        public CompletionStage<List<Object>> run(
                RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
            CompletionStage<List<Object>> first = redis.evalsha(digest, ScriptOutputType.MULTI, keys, args);
            return first.exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                    ? redis.<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args)
                    : first);
        }

        /** Runs the script and waits for its answer. */
        public List<Object> call(RedisCommands<String, String> redis, String[] keys, String... args) {
            try {
                return redis.evalsha(digest, ScriptOutputType.MULTI, keys, args);
            } catch (RedisNoScriptException e) {
                return redis.eval(source, ScriptOutputType.MULTI, keys, args);
            }
        }

        private static Throwable unwrap(Throwable e) {
            Throwable t = e;
            while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        }
    }

    private Scripts() {}
}
