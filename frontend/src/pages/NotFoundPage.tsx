import { Link } from 'react-router';
import { PageHeading } from '../components/PageHeading';

export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Page not found" />
      <p>If you typed the web address, check it is correct.</p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </>
  );
}
