-- Failed evaluations recorded before this version keep none of the interview's words. Re-runnable.
--
-- An evaluation the model got wrong twice was recorded with the rejection's text, which quoted the words at fault
-- (often the candidate's own, cited from the wrong entry) or the entry the model named, which may be words too. The
-- failure reason is in clear (it is not under the candidate's key), so those words outlived the candidate's erasure
-- in every backup. The app now records the rejection without them (EvaluationRejectedException.reasonToKeep); rows
-- written before are rewritten to the same wording.
update interview.evaluations
   set failure_reason = regexp_replace(failure_reason, 'quotes ".*", which does not occur in entry ',
                                       'quotes words that do not occur in entry ')
 where failure_reason like '%quotes "%", which does not occur in entry %';

update interview.evaluations
   set failure_reason = regexp_replace(failure_reason, 'cites ''.*'', which is not a transcript entry key',
                                       'cites something that is not a transcript entry key')
 where failure_reason like '%cites ''%'', which is not a transcript entry key%';

update interview.evaluations
   set failure_reason = regexp_replace(failure_reason, 'cites entry [^ ,]*, which is not in the transcript',
                                       'cites an entry that is not in the transcript')
 where failure_reason like '%cites entry %, which is not in the transcript%';
