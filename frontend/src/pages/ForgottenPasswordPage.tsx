/**
 * Forgotten password. Nothing is asked here, so the page never tells whether an account exists:
 * an administrator has a single-use link that sets a new password e-mailed to the person.
 */
import { Link } from 'react-router';
import { PageHeading } from '../components/PageHeading';

export default function ForgottenPasswordPage() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <PageHeading title="Forgotten your password?" />
        <p>Ask your ksbfolio administrator to email you a password link. It comes to your own email address, works once, for 24 hours, and lets you set a new password.</p>
        <p>Apprentices can also ask their tutor to pass the request on. Nobody at ksbfolio will ever ask you for your password.</p>
        <p>
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </div>
    </div>
  );
}
