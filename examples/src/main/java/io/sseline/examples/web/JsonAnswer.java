package io.sseline.examples.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A complete JSON answer, as the example servers give every non-stream reply and every refusal:
 * status, {@code application/json} in UTF-8, {@code Cache-Control: no-store} and a
 * {@code Content-Length}.
 *
 * <pre>{@code
 * HttpServlet accepted = new HttpServlet() {
 *     protected void doPost(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
 *         JsonAnswer.send(response, HttpServletResponse.SC_ACCEPTED, "{\"id\":\"7\"}");
 *     }
 * };
 * }</pre>
 */
public final class JsonAnswer {
    private JsonAnswer() {}

    /** Answers with {@code status} and {@code json} as the whole body. */
    public static void send(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
