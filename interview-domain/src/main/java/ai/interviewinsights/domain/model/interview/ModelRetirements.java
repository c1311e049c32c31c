package ai.interviewinsights.domain.model.interview;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When OpenAI shuts down a model we may be configured with, and what it recommends instead. The app checks its
 * configured models at start-up: within {@link #WARNING_DAYS} days of a shutdown it warns; on or after the date it
 * refuses to start (a model OpenAI no longer serves fails every interview, better said once and early).
 *
 * <p>The dates are OpenAI's, from its deprecations page (docs/adapters/openai.md lists each with its source, as
 * checked on 2026-11-28). OpenAI gives GA models at least six months' notice; {@code GET /v1/models} carries
 * {@code shutdown_date} for a later, automatic check.
 */
public final class ModelRetirements {

    /** How long before a shutdown start-up warns. */
    public static final int WARNING_DAYS = 60;

    /** One model's announced shutdown. */
    public record Retirement(String model, LocalDate shutdown, String replacement) {
    }

    /** The verdict on one configured model. */
    public record Finding(String setting, String model, LocalDate shutdown, String replacement, long daysLeft) {

        public boolean refused() {
            return daysLeft <= 0;
        }

        public String describe() {
            return refused()
                    ? setting + ": OpenAI shut '" + model + "' down on " + shutdown + "; use " + replacement
                    : setting + ": OpenAI shuts '" + model + "' down on " + shutdown + " (in " + daysLeft
                    + " days); move to " + replacement;
        }
    }

    private static final Map<String, Retirement> KNOWN = index(List.of(
            // Realtime and audio models, shutdown 2027-01-20.
            new Retirement("gpt-realtime", LocalDate.of(2027, 1, 20), "gpt-realtime-2.1"),
            new Retirement("gpt-realtime-2025-08-28", LocalDate.of(2027, 1, 20), "gpt-realtime-2.1"),
            new Retirement("gpt-4o-realtime-preview", LocalDate.of(2027, 1, 20), "gpt-realtime-2.1"),
            new Retirement("gpt-4o-mini-realtime-preview", LocalDate.of(2027, 1, 20), "gpt-realtime-2.1-mini"),
            // Whisper and the GPT-4o transcription models, shutdown 2027-02-26.
            new Retirement("whisper-1", LocalDate.of(2027, 2, 26), "gpt-realtime-whisper or gpt-live-transcribe"),
            new Retirement("gpt-4o-transcribe", LocalDate.of(2027, 2, 26), "gpt-realtime-whisper or gpt-live-transcribe"),
            new Retirement("gpt-4o-mini-transcribe", LocalDate.of(2027, 2, 26),
                    "gpt-realtime-whisper or gpt-live-transcribe"),
            new Retirement("gpt-4o-transcribe-diarize", LocalDate.of(2027, 2, 26),
                    "gpt-realtime-whisper or gpt-live-transcribe"),
            // The GPT-5 family (the evaluation model's default until gpt-6.1-terra), shutdown 2026-12-11; the
            // replacements are the ones OpenAI's deprecations page names.
            new Retirement("gpt-5", LocalDate.of(2026, 12, 11), "gpt-6.1-sol"),
            new Retirement("gpt-5-mini", LocalDate.of(2026, 12, 11), "gpt-6.1-terra"),
            new Retirement("gpt-5-nano", LocalDate.of(2026, 12, 11), "gpt-6-luna")));

    private final Map<String, Retirement> retirements;

    private ModelRetirements(Map<String, Retirement> retirements) {
        this.retirements = retirements;
    }

    /** The shutdowns OpenAI had announced when this release was made. */
    public static ModelRetirements announced() {
        return new ModelRetirements(KNOWN);
    }

    /** A table of one's own (tests; a newer list). */
    public static ModelRetirements of(List<Retirement> retirements) {
        return new ModelRetirements(index(retirements));
    }

    public Optional<Retirement> of(String model) {
        return model == null ? Optional.empty()
                : Optional.ofNullable(retirements.get(model.strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * The configured models that retire within {@link #WARNING_DAYS} days of {@code today} or have retired.
     *
     * @param configured setting (e.g. {@code OPENAI_EVALUATION_MODEL}) to model name
     */
    public List<Finding> check(Map<String, String> configured, LocalDate today) {
        List<Finding> findings = new ArrayList<>();
        configured.forEach((setting, model) -> of(model).ifPresent(r -> {
            long daysLeft = ChronoUnit.DAYS.between(today, r.shutdown());
            if (daysLeft <= WARNING_DAYS) {
                findings.add(new Finding(setting, r.model(), r.shutdown(), r.replacement(), daysLeft));
            }
        }));
        return List.copyOf(findings);
    }

    /** The catalog without the models already shut down on {@code today}: they can no longer be chosen. */
    public NameCatalog withoutRetired(NameCatalog catalog, LocalDate today) {
        List<String> live = catalog.names().stream()
                .filter(name -> of(name).map(r -> today.isBefore(r.shutdown())).orElse(true)).toList();
        return NameCatalog.of(catalog.kind(), live);
    }

    private static Map<String, Retirement> index(List<Retirement> list) {
        java.util.LinkedHashMap<String, Retirement> map = new java.util.LinkedHashMap<>();
        list.forEach(r -> map.put(r.model().toLowerCase(Locale.ROOT), r));
        return java.util.Collections.unmodifiableMap(map);
    }
}
