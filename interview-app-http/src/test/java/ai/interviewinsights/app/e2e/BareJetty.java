package ai.interviewinsights.app.e2e;

import ai.interviewinsights.app.local.LocalProcessRunnerProvisioner;
import io.javalin.Javalin;

/**
 * The floor of a runner's start (docs/performance.md): a Javalin server with one route and nothing of ours, started
 * from the application's jar with the runners' flags and an archive of its own, printing the runners' READY line
 * once it listens. Only the benchmark starts it.
 */
public final class BareJavalin {

    private BareJavalin() {
    }

    public static void main(String[] args) throws Exception {
        // As the runner does (RunnerServer): Jetty would otherwise start the JMX platform server to ask this.
        System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.routes.get("/health", ctx -> ctx.result("ok"));
        }).start();
        System.out.println(LocalProcessRunnerProvisioner.READY_LINE + app.port());
        System.out.flush();
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "1000"));
        app.stop();
        System.exit(0);
    }
}
