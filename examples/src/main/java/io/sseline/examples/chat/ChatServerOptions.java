package io.sseline.examples.chat;

import java.util.Map;
import java.util.Properties;

/**
 * The command line of {@link ChatServer#main}: each option from a flag, else a system property,
 * else an environment variable, else the default.
 */
final class ChatServerOptions {
    static final String USAGE = String.join(
            "\n",
            "usage: chat [--port N] [--https-port N] [--host NAME] [--allowed-hosts A,B]",
            "            [--redis URI [--redis-key KEY]]",
            "  --port N         the http port (HTTP/1.1 and h2c); 0 picks a free one. Default 8080,",
            "                   or the system property chat.port, or the variable CHAT_PORT",
            "  --https-port N   the https port (HTTP/2 with a development certificate); -1 turns TLS off.",
            "                   Default 8443, or chat.https.port, or CHAT_HTTPS_PORT",
            "  --host NAME      the interface to listen on; 0.0.0.0 for all. Default localhost,",
            "                   or chat.host, or CHAT_HOST",
            "  --allowed-hosts A,B  more host names the chat answers for (besides localhost, 127.0.0.1,",
            "                   ::1 and --host); others get 403. * allows any. Default none,",
            "                   or chat.allowed.hosts, or CHAT_ALLOWED_HOSTS",
            "  --redis URI      share the rooms with the other nodes of this Redis, for example",
            "                   redis://127.0.0.1:6379. Default none (rooms in this process only),",
            "                   or chat.redis, or CHAT_REDIS",
            "  --redis-key KEY  the Redis stream the nodes share. Default chat:events,",
            "                   or chat.redis.key, or CHAT_REDIS_KEY");

    private ChatServerOptions() {}

    /**
     * Returns a builder configured from the sources, or {@code null} when {@code --help} asks for the
     * usage only.
     *
     * @throws IllegalArgumentException for an unknown option, a missing or malformed value
     */
    static ChatServer.Builder parse(String[] args, Map<String, String> env, Properties properties) {
        String port = firstOf(properties.getProperty("chat.port"), env.get("CHAT_PORT"));
        String httpsPort = firstOf(properties.getProperty("chat.https.port"), env.get("CHAT_HTTPS_PORT"));
        String host = firstOf(properties.getProperty("chat.host"), env.get("CHAT_HOST"));
        String redis = firstOf(properties.getProperty("chat.redis"), env.get("CHAT_REDIS"));
        String redisKey = firstOf(properties.getProperty("chat.redis.key"), env.get("CHAT_REDIS_KEY"));
        String allowedHosts = firstOf(properties.getProperty("chat.allowed.hosts"), env.get("CHAT_ALLOWED_HOSTS"));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--port" -> port = value(args, ++i, arg);
                case "--https-port" -> httpsPort = value(args, ++i, arg);
                case "--host" -> host = value(args, ++i, arg);
                case "--redis" -> redis = value(args, ++i, arg);
                case "--redis-key" -> redisKey = value(args, ++i, arg);
                case "--allowed-hosts" -> allowedHosts = value(args, ++i, arg);
                default -> {
                    if (arg.startsWith("--port=")) {
                        port = arg.substring("--port=".length());
                    } else if (arg.startsWith("--https-port=")) {
                        httpsPort = arg.substring("--https-port=".length());
                    } else if (arg.startsWith("--host=")) {
                        host = arg.substring("--host=".length());
                    } else if (arg.startsWith("--redis=")) {
                        redis = arg.substring("--redis=".length());
                    } else if (arg.startsWith("--allowed-hosts=")) {
                        allowedHosts = arg.substring("--allowed-hosts=".length());
                    } else if (arg.startsWith("--redis-key=")) {
                        redisKey = arg.substring("--redis-key=".length());
                    } else {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                }
            }
        }
        ChatServer.Builder builder = ChatServer.builder();
        if (port != null) {
            builder.port(number("port", port));
        }
        if (httpsPort != null) {
            builder.httpsPort(number("https port", httpsPort));
        }
        if (host != null) {
            builder.host(host);
        }
        if (redis != null) {
            builder.redis(redis.strip());
        }
        if (allowedHosts != null) {
            builder.allowedHosts(java.util.Arrays.stream(allowedHosts.split(","))
                    .map(String::strip)
                    .filter(h -> !h.isEmpty())
                    .toList());
        }
        if (redisKey != null) {
            if (redis == null) {
                throw new IllegalArgumentException("--redis-key needs --redis: the key names a stream on that Redis");
            }
            builder.redisKey(redisKey.strip());
        }
        return builder;
    }

    private static String firstOf(String first, String second) {
        return first != null && !first.isBlank()
                ? first.strip()
                : second != null && !second.isBlank() ? second.strip() : null;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
    }
}
