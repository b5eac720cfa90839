import { Link } from 'react-router';
import { PageHeading } from '../components/PageHeading';

export function ForbiddenPage() {
  return (
    <>
      <PageHeading title="You do not have access to this page" />
      <p>This page is for a different role. If you think you should see it, contact your administrator.</p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </>
  );
}
