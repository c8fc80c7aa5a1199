package dev.expanse.method.explain;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket from java.net.http, JSON with
 * Gson): it opens a page, and reports what the page logged as errors, every URL it requested, the
 * result of a script run in it, and a screenshot. The protocol gives these as structured events,
 * which is sturdier than reading the browser's log lines.
 */
final class Chromium implements AutoCloseable {
    /** Where Debian's {@code chromium} package puts the browser. */
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final long TIMEOUT_S = 60;

    private final Process process;
    private final List<String> browserLog = new CopyOnWriteArrayList<>();
    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();

    /** What a page did while it loaded, and what a script found in it. */
    record PageReport(List<String> errors, List<String> requests, JsonElement found, byte[] screenshot) {
    }

    /**
     * Starts the browser with a fresh profile in {@code profile}, with every background service
     * that could make a request of its own turned off.
     */
    Chromium(Path profile) throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> readLog(url), "chromium-log");
        reader.setDaemon(true);
        reader.start();
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(url.get(TIMEOUT_S, TimeUnit.SECONDS)), new Listener()).get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("chromium did not open its DevTools socket; its log: " + browserLog, e);
        }
    }

    private void readLog(CompletableFuture<String> url) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                browserLog.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) url.complete(m.group(1));
            }
        } catch (IOException e) {
            url.completeExceptionally(e);
        }
        url.completeExceptionally(new IOException("chromium exited"));
    }

    /**
     * Opens {@code page} in a new tab of {@code width} CSS pixels, waits for its load event, runs
     * {@code script} (an expression; its value must be JSON-serialisable) and captures the whole
     * page as a PNG.
     */
    PageReport open(Path page, int width, String script) throws Exception {
        String target = call(null, "Target.createTarget", obj("url", "about:blank")).get("targetId").getAsString();
        JsonObject attach = obj("targetId", target);
        attach.addProperty("flatten", true);
        String session = call(null, "Target.attachToTarget", attach).get("sessionId").getAsString();
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) call(session, domain + ".enable", new JsonObject());
        JsonObject metrics = obj("mobile", false);
        metrics.addProperty("width", width);
        metrics.addProperty("height", 900);
        metrics.addProperty("deviceScaleFactor", 1);
        call(session, "Emulation.setDeviceMetricsOverride", metrics);
        int seen = events.size();
        call(session, "Page.navigate", obj("url", page.toUri().toString()));
        awaitEvent(session, "Page.loadEventFired", seen);
        JsonObject eval = obj("expression", script);
        eval.addProperty("returnByValue", true);
        eval.addProperty("awaitPromise", true);
        JsonObject result = call(session, "Runtime.evaluate", eval);
        if (result.has("exceptionDetails")) throw new IllegalStateException("the check script failed: " + result.get("exceptionDetails"));
        JsonElement found = result.getAsJsonObject("result").get("value");
        // The whole page, not only the first screen: a clip of the content's size, captured beyond the viewport.
        JsonObject size = call(session, "Page.getLayoutMetrics", new JsonObject()).getAsJsonObject("cssContentSize");
        JsonObject clip = new JsonObject();
        for (String k : List.of("width", "height")) clip.addProperty(k, Math.ceil(size.get(k).getAsDouble()));
        clip.addProperty("x", 0);
        clip.addProperty("y", 0);
        clip.addProperty("scale", 1);
        JsonObject shot = obj("format", "png");
        shot.addProperty("captureBeyondViewport", true);
        shot.add("clip", clip);
        byte[] png = Base64.getDecoder().decode(call(session, "Page.captureScreenshot", shot).get("data").getAsString());
        call(null, "Target.closeTarget", obj("targetId", target));
        return new PageReport(errors(session), requests(session), found, png);
    }

    /** Console errors, failed assertions, uncaught exceptions and error log entries (failed loads, policy violations) of a session. */
    private List<String> errors(String session) {
        List<String> out = new ArrayList<>();
        for (JsonObject e : eventsOf(session)) {
            String method = e.get("method").getAsString();
            JsonObject p = e.getAsJsonObject("params");
            if (method.equals("Runtime.consoleAPICalled") && List.of("error", "assert").contains(p.get("type").getAsString())) {
                out.add("console." + p.get("type").getAsString() + ": " + p.get("args"));
            } else if (method.equals("Runtime.exceptionThrown")) {
                out.add("exception: " + p.getAsJsonObject("exceptionDetails"));
            } else if (method.equals("Log.entryAdded") && p.getAsJsonObject("entry").get("level").getAsString().equals("error")) {
                out.add("log: " + p.getAsJsonObject("entry").get("text").getAsString());
            }
        }
        return out;
    }

    /** Every URL a session requested. */
    private List<String> requests(String session) {
        List<String> out = new ArrayList<>();
        for (JsonObject e : eventsOf(session)) {
            if (e.get("method").getAsString().equals("Network.requestWillBeSent")) {
                out.add(e.getAsJsonObject("params").getAsJsonObject("request").get("url").getAsString());
            }
        }
        return out;
    }

    private List<JsonObject> eventsOf(String session) {
        return events.stream().filter(e -> e.has("sessionId") && e.get("sessionId").getAsString().equals(session)).toList();
    }

    private void awaitEvent(String session, String method, int from) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (System.nanoTime() < end) {
            for (int i = from; i < events.size(); i++) {
                JsonObject e = events.get(i);
                if (e.get("method").getAsString().equals(method) && e.has("sessionId") && e.get("sessionId").getAsString().equals(session)) return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + method + " within " + TIMEOUT_S + " s");
    }

    private JsonObject call(String session, String method, JsonObject params) throws Exception {
        int id = nextId.incrementAndGet();
        JsonObject msg = obj("method", method);
        msg.addProperty("id", id);
        msg.add("params", params);
        if (session != null) msg.addProperty("sessionId", session);
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(msg.toString(), true).get(TIMEOUT_S, TimeUnit.SECONDS);
        JsonObject r = reply.get(TIMEOUT_S, TimeUnit.SECONDS);
        if (r.has("error")) throw new IllegalStateException(method + " failed: " + r.get("error"));
        return r.getAsJsonObject("result");
    }

    private static JsonObject obj(String key, Object value) {
        JsonObject o = new JsonObject();
        if (value instanceof Boolean b) o.addProperty(key, b);
        else o.addProperty(key, value.toString());
        return o;
    }

    /** Collects a message's fragments, then hands a reply to its caller or keeps an event. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject m = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (m.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(m.get("id").getAsInt());
                    if (f != null) f.complete(m);
                } else {
                    events.add(m);
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            call(null, "Browser.close", new JsonObject());
        } catch (Exception e) {
            // the browser is going anyway: it is destroyed below
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Deletes {@code dir} and everything in it (the browser's throw-away profile). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The JSON array {@code e} as a list of objects. */
    static List<JsonObject> objects(JsonElement e) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray a = e.getAsJsonArray();
        for (JsonElement x : a) out.add(x.getAsJsonObject());
        return out;
    }
}
