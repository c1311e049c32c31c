package ai.interviewinsights.adapters.supabase;

/** One master key per test JVM, shared by every store the tests open (as one deployment shares its key). */
final class TestKeys {

    private static final MasterKey MASTER = MasterKey.generate();

    private TestKeys() {
    }

    static MasterKey master() {
        return MASTER;
    }
}
