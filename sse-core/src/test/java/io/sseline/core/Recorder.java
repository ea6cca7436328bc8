package io.sseline.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records what a parser reports, in order, as readable lines that tests compare. */
final class Recorder implements EventParser.Listener {
    final List<String> log = new ArrayList<>();

    @Override
    public void onEvent(Event event) {
        log.add("event type=" + event.type() + " data=" + escape(event.data()) + " id=" + escape(event.id())
                + event.retry().map(r -> " retry=" + r.toMillis()).orElse(""));
    }

    @Override
    public void onComment(String comment) {
        log.add("comment " + escape(comment));
    }

    @Override
    public void onRetry(Duration retry) {
        log.add("retry " + retry.toMillis());
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                .replace("\0", "\\0")
                .replace("\uFEFF", "\\uFEFF")
                .replace("\uFFFD", "\\uFFFD");
    }
}
