package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.model.transcript.AppendResult;
import ai.interviewinsights.domain.model.transcript.IdempotencyKey;
import ai.interviewinsights.domain.model.transcript.TranscriptBatch;
import ai.interviewinsights.domain.model.transcript.TranscriptEntry;
import ai.interviewinsights.domain.port.in.RecordTranscriptUseCase;
import ai.interviewinsights.domain.port.out.TranscriptRepository;
import ai.interviewinsights.domain.port.in.ReportDroppedEntryUseCase;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stores transcript batches. Only the session's own runner or candidate may write, only while the session accepts
 * entries, and the store keeps each key once, so retries and double deliveries are harmless.
 */
final class TranscriptService implements RecordTranscriptUseCase, ReportDroppedEntryUseCase {

    private final TranscriptRepository transcripts;
    private final SessionStore store;
    private final Audit audit;

    TranscriptService(TranscriptRepository transcripts, SessionStore store, Audit audit) {
        this.transcripts = transcripts;
        this.store = store;
        this.audit = audit;
    }

    @Override
    public void dropped(DroppedEntry command) {
        Access.requireRunner(command.principal(), command.session());
        AccessScope scope = AccessScope.of(command.principal());
        audit.record(scope, command.principal().tenant(), "transcript.entry_dropped", "session:" + command.session(),
                Map.of("key", command.key().value(), "code", command.code(), "reason", command.reason()));
    }

    @Override
    public AppendResult record(RecordTranscript command) {
        Principal principal = command.principal();
        if (!principal.role().isSessionBound()) {
            throw DomainException.forbidden("access.session_only",
                    "transcript entries are written by the session's runner or candidate");
        }
        Access.requireSession(principal, command.session());
        if (command.entries().isEmpty()) {
            return AppendResult.empty();
        }
        TranscriptBatch.requireWithinLimit(command.entries().size());
        Set<IdempotencyKey> keys = new HashSet<>();
        for (TranscriptEntry entry : command.entries()) {
            if (!entry.session().equals(command.session())) {
                throw DomainException.invalid("invalid.batch", "entry " + entry.key() + " belongs to another session");
            }
            if (!keys.add(entry.key())) {
                throw DomainException.invalid("invalid.batch", "key " + entry.key() + " appears twice in the batch");
            }
        }
        AccessScope scope = AccessScope.of(principal);
        // One transaction per batch: the store refuses a session-bound writer whose session is not live (in
        // PostgreSQL the insert policy checks it, in the same statement), so the session is only read to explain a
        // refusal - a finished session is "gone", anything else stays the store's refusal.
        try {
            return transcripts.append(scope, principal.tenant(), command.session(), command.entries());
        } catch (DomainException refused) {
            if (refused.kind() != ai.interviewinsights.domain.model.ErrorKind.FORBIDDEN) {
                throw refused;
            }
            InterviewSession session;
            try {
                session = store.load(scope, command.session());
            } catch (DomainException unreadable) {
                throw refused;
            }
            session.requireAcceptsTranscript();
            throw refused;
        }
    }
}
