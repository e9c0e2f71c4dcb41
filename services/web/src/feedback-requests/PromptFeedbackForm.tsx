import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm, parseCodes } from '../ui/forms';
import { requestKeys } from './queries';

/** On a coachee's page: prompt the learner to seek feedback on some competencies (it shows on the learner's home). */
export function PromptFeedbackForm({ learnerId }: { learnerId: string }) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [codes, setCodes] = useState('');
  const [message, setMessage] = useState('');
  const [checked, setChecked] = useState<{ competencies?: string }>({});
  const prompt = useMutation({
    mutationFn: (body: object) => api('feedback', `/learners/${encodeURIComponent(learnerId)}/feedback-prompts`, { body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [requestKeys.ofLearner(learnerId)]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const competencies = parseCodes(codes);
    const errors = competencies.length ? {} : { competencies: 'Name at least one competency or EPA' };
    setChecked(errors);
    if (errors.competencies) return;
    prompt.mutateAsync({ competencies, ...(message.trim() ? { message: message.trim() } : {}) }).then(() => {
      setCodes('');
      setMessage('');
    }, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="prompt-heading" noValidate>
      <h2 id="prompt-heading">Prompt to seek feedback</h2>
      <Field label="Competencies or EPAs" name="competencies" hint="Codes separated by commas, e.g. ICS, EPA-8" error={checked.competencies} serverError={prompt.error}>
        {(p) => <input {...p} value={codes} onChange={(e) => setCodes(e.target.value)} />}
      </Field>
      <Field label="A word for the learner (optional)" name="message" serverError={prompt.error}>
        {(p) => <input {...p} value={message} onChange={(e) => setMessage(e.target.value)} maxLength={1000} />}
      </Field>
      <FormError error={prompt.error} />
      <button type="submit" disabled={prompt.isPending}>
        Prompt
      </button>
      {prompt.isSuccess && <p role="status">Prompted: it shows on the learner&apos;s home.</p>}
    </form>
  );
}
