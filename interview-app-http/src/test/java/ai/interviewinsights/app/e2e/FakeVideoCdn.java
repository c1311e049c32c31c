package ai.interviewinsights.app.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * api.video's delivery host (vod.api.video) as a browser sees it: https, a video's file at
 * {@code /vod/<videoId>/mp4/source.mp4}, and byte ranges ({@code Range: bytes=a-b} answered with 206 and
 * {@code Content-Range}), which a player needs to seek. It serves what the fake API reassembled from the room's
 * upload. The certificate is self-signed (made by the JDK's keytool): the browser context that plays from it must
 * ignore certificate errors, and only that one.
 */
public final class FakeVideoCdn implements AutoCloseable {

    private static final Pattern PATH = Pattern.compile("/vod/([A-Za-z0-9_-]{1,128})/mp4/source\\.mp4");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final char[] PASSWORD = "fake-cdn-only-for-tests".toCharArray();

    private final HttpsServer server;
    private final Function<String, Optional<byte[]>> files;
    /** Every Range header asked for (null for a whole-file request), in arrival order. */
    public final List<String> ranges = new CopyOnWriteArrayList<>();

    public FakeVideoCdn(Function<String, Optional<byte[]>> files) throws Exception {
        this.files = files;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::serve);
        server.start();
    }

    public String origin() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public String mp4(String videoId) {
        return origin() + "/vod/" + videoId + "/mp4/source.mp4";
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            Optional<byte[]> file = path.matches() ? files.apply(path.group(1)) : Optional.empty();
            if (file.isEmpty() || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] all = file.get();
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(range);
            exchange.getResponseHeaders().add("Content-Type", "video/webm");
            exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
            Matcher r = range == null ? null : RANGE.matcher(range.strip());
            if (r == null || !r.matches()) {
                exchange.sendResponseHeaders(200, all.length);
                exchange.getResponseBody().write(all);
                return;
            }
            long start = Long.parseLong(r.group(1));
            long end = r.group(2).isEmpty() ? all.length - 1 : Math.min(all.length - 1, Long.parseLong(r.group(2)));
            if (start >= all.length || start > end) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + all.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + all.length);
            exchange.sendResponseHeaders(206, end - start + 1);
            exchange.getResponseBody().write(all, (int) start, (int) (end - start + 1));
        }
    }

    /** A key pair and self-signed certificate for 127.0.0.1, made by the JDK's own keytool. */
    private static SSLContext selfSigned() throws Exception {
        Path dir = Files.createTempDirectory("fake-cdn-");
        Path store = dir.resolve("cdn.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keyalg", "EC", "-groupname",
                "secp256r1", "-alias", "cdn", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity",
                "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        Files.delete(store);
        Files.delete(dir);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
