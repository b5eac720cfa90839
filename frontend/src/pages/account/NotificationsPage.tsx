/** How I hear about what waits for me: an e-mail per event, one summary a day, or none. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { getNotificationSettings, putNotificationSettings } from '../../api/auth';
import { DELIVERIES, type Delivery } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { QueryView } from '../../components/QueryState';

const KEY = ['notification-settings'] as const;

const LABELS: Record<Delivery, { label: string; hint: string }> = {
  immediate: { label: 'An email for each thing', hint: 'Sent as soon as something waits for you.' },
  daily_digest: { label: 'One email a day', hint: 'A summary each morning of everything new since the day before.' },
  off: { label: 'No emails', hint: 'Sign-in links you ask for still arrive.' },
};

export default function NotificationsPage() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: KEY, queryFn: getNotificationSettings });
  const [choice, setChoice] = useState<Delivery | null>(null);
  const [saved, setSaved] = useState(false);
  const confirmation = useRef<HTMLDivElement>(null);
  const save = useMutation({
    mutationFn: putNotificationSettings,
    onSuccess: (data) => {
      queryClient.setQueryData(KEY, data);
      setSaved(true);
    },
  });
  useEffect(() => {
    if (saved) confirmation.current?.focus();
  }, [saved]);

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const delivery = choice ?? settings.data?.delivery;
    if (!delivery) return;
    setSaved(false);
    save.mutate(delivery);
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary error={save.error} />
        <PageHeading title="Notifications" />
        {saved && (
          <div className="nhsuk-inset-text" role="status" tabIndex={-1} ref={confirmation} data-testid="notifications-saved">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Your choice is saved.</p>
          </div>
        )}
        <QueryView query={settings} label="Loading your notification settings">
          {(data) => (
            <form onSubmit={handleSubmit} noValidate>
              <div className="nhsuk-form-group">
                <fieldset className="nhsuk-fieldset" aria-describedby="delivery-hint">
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">How should we tell you when something waits for you?</legend>
                  <div className="nhsuk-hint" id="delivery-hint">
                    Your role&apos;s usual choice is &ldquo;{LABELS[data.default].label.toLowerCase()}&rdquo;. Every email links to the page where you act on it.
                  </div>
                  <div className="nhsuk-radios">
                    {DELIVERIES.map((d) => (
                      <div className="nhsuk-radios__item" key={d}>
                        <input
                          className="nhsuk-radios__input"
                          id={`delivery-${d}`}
                          name="delivery"
                          type="radio"
                          value={d}
                          checked={(choice ?? data.delivery) === d}
                          onChange={() => setChoice(d)}
                          aria-describedby={`delivery-${d}-hint`}
                        />
                        <label className="nhsuk-label nhsuk-radios__label" htmlFor={`delivery-${d}`}>
                          {LABELS[d].label}
                        </label>
                        <div className="nhsuk-hint nhsuk-radios__hint" id={`delivery-${d}-hint`}>
                          {LABELS[d].hint}
                        </div>
                      </div>
                    ))}
                  </div>
                </fieldset>
              </div>
              <button className="nhsuk-button" type="submit" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : 'Save'}
              </button>
            </form>
          )}
        </QueryView>
      </div>
    </div>
  );
}
