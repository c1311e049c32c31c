package ai.interviewinsights.app.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.adapters.openai.local.speech.FestivalSynthesizer;
import ai.interviewinsights.adapters.openai.local.speech.SpeechException;
import ai.interviewinsights.adapters.openai.media.Pcm16;
import ai.interviewinsights.adapters.openai.media.Resampler;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium, driven by Playwright (its own browser download is skipped: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD),
 * headless, with Chromium's fake camera and microphone (a test pattern and a beep) granted without a prompt.
 */
final class Browsers implements AutoCloseable {

    private final Playwright playwright;
    final Browser browser;

    Browsers() {
        this(null);
    }

    /**
     * @param fakeMicrophone a 48 kHz WAV Chromium's fake microphone plays once ({@code %noloop}) instead of its beep,
     *                       or null for the beep
     */
    Browsers(Path fakeMicrophone) {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path chromium = Path.of("/usr/bin/chromium");
        assertTrue(Files.isExecutable(chromium), "Debian's chromium is installed by scripts/test");
        List<String> args = new ArrayList<>(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                // Real host candidates instead of mDNS names, so a local WebRTC peer is reachable.
                "--disable-features=WebRtcHideLocalIpsWithMdns"));
        if (fakeMicrophone != null) {
            args.add("--use-file-for-fake-audio-capture=" + fakeMicrophone + "%noloop");
        }
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setArgs(args));
    }

    /**
     * A microphone file that says {@code words} (festival) after 12 s of silence, while the greeting plays, then 4 s
     * of silence; the caller deletes it.
     */
    static Path spokenAnswer(String words) throws IOException, SpeechException {
        Pcm16 spoken = new FestivalSynthesizer().speak(words);
        short[] answer = Resampler.convert(spoken.samples(), spoken.sampleRate(), 48_000);
        short[] track = new short[48_000 * 12 + answer.length + 48_000 * 4];
        System.arraycopy(answer, 0, track, 48_000 * 12, answer.length);
        return microphoneFile(track);
    }

    /** A quiet microphone file of {@code seconds}; the caller deletes it. */
    static Path silence(int seconds) throws IOException {
        return microphoneFile(new short[48_000 * seconds]);
    }

    private static Path microphoneFile(short[] samples48k) throws IOException {
        Path wav = Files.createTempFile("candidate-microphone-", ".wav");
        Files.write(wav, new Pcm16(48_000, samples48k).toWav());
        return wav;
    }

    /** A fresh browser profile (its own storage) allowed to use the camera and microphone. */
    BrowserContext context(String origin) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 900));
        context.grantPermissions(List.of("camera", "microphone"), new BrowserContext.GrantPermissionsOptions()
                .setOrigin(origin));
        return context;
    }

    /** Collects what the page logged as errors (a CSP violation is one), and uncaught exceptions. */
    static List<String> watchErrors(Page page) {
        List<String> errors = new ArrayList<>();
        page.onConsoleMessage(m -> {
            // The browser's own request for /favicon.ico (which the app does not serve) is not the page's error.
            if ("error".equals(m.type()) && !m.text().contains("favicon")
                    && !String.valueOf(m.location()).contains("/favicon.ico")) {
                errors.add(m.text());
            }
        });
        page.onPageError(e -> errors.add("page error: " + e));
        return errors;
    }

    /**
     * Runs axe-core in the page and returns the serious and critical violations ("rule: target" each). axe-core
     * comes from npm: scripts/test installs it under .cache/axe (see README, Test it). It is injected through
     * Playwright's isolated evaluation, so the page's CSP (no inline script) does not stand in the way.
     */
    @SuppressWarnings("unchecked")
    static List<String> seriousAccessibilityViolations(Page page) {
        String source;
        try {
            source = Files.readString(axeScript());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Boolean.TRUE.equals(page.evaluate("() => !!window.axe"))) {
            page.evaluate(source + "\n;void 0");
        }
        Object result = page.evaluate("async () => { const r = await axe.run(document);"
                + " if (!r.passes.length) { throw new Error('axe checked nothing'); }"
                + " return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + "   .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')); }");
        return (List<String>) result;
    }

    private static Path axeScript() {
        for (Path candidate : List.of(Path.of(".cache/axe/node_modules/axe-core/axe.min.js"),
                Path.of("../.cache/axe/node_modules/axe-core/axe.min.js"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("axe-core is missing: run scripts/test, or"
                + " npm install --no-save --prefix .cache/axe axe-core@4.14.1 in the repository root");
    }

    /** Saves a screenshot when -Dscreenshots.dir is set (ScreenshotsBrowserTest; see README). */
    static void screenshot(Page page, String name) {
        String dir = System.getProperty("screenshots.dir");
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of(dir, name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /**
     * Polls the inbound audio's total energy from here: {@code page.evaluate} awaits the stats promise, whereas a
     * promise returned to {@code waitForFunction} may count as truthy at once.
     */
    static void awaitEnergyAbove(Page page, double threshold) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        double energy = energy(page);
        while (energy <= threshold) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the inbound audio's energy stayed at " + energy + " (wanted > " + threshold
                        + ")");
            }
            Thread.sleep(100);
            energy = energy(page);
        }
    }

    static double energy(Page page) {
        Object value = page.evaluate("async () => { const stats = await window.__pcs[0].getStats(); let energy = 0;"
                + " stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'audio')"
                + " energy = Math.max(energy, s.totalAudioEnergy || 0); }); return energy; }");
        return ((Number) value).doubleValue();
    }
}
