/** The route table: every page, who may see it, and lazy loading to keep the first load small. */
import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import type { Role } from './api/types';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { Loading } from './components/QueryState';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';

const AccessibilityPage = lazy(() => import('./pages/AccessibilityPage'));
const SetPasswordPage = lazy(() => import('./pages/SetPasswordPage'));
const ForgottenPasswordPage = lazy(() => import('./pages/ForgottenPasswordPage'));
const PasswordPage = lazy(() => import('./pages/account/PasswordPage'));
const NotificationsPage = lazy(() => import('./pages/account/NotificationsPage'));
const SignInLinkPage = lazy(() => import('./pages/SignInLinkPage'));
const MyApprenticeship = lazy(() => import('./pages/apprentice/MyApprenticeship'));
const ProgressPage = lazy(() => import('./pages/progress/ProgressPage'));
const KsbPage = lazy(() => import('./pages/progress/KsbPage'));
const EvidenceListPage = lazy(() => import('./pages/evidence/EvidenceListPage'));
const EvidenceFormPage = lazy(() => import('./pages/evidence/EvidenceFormPage'));
const EvidenceDetailPage = lazy(() => import('./pages/evidence/EvidenceDetailPage'));
const ReviewPage = lazy(() => import('./pages/evidence/ReviewPage'));
const OtjPage = lazy(() => import('./pages/otj/OtjPage'));
const ProgressReviewsPage = lazy(() => import('./pages/reviews/ReviewsPage'));
const ReviewFormPage = lazy(() => import('./pages/reviews/ReviewFormPage'));
const GatewayPage = lazy(() => import('./pages/gateway/GatewayPage'));
const InboxPage = lazy(() => import('./pages/inbox/InboxPage'));
const BulkSignoffPage = lazy(() => import('./pages/progress/BulkSignoffPage'));
const OtjQueuePage = lazy(() => import('./pages/queues/OtjQueuePage'));
const ReviewQueuePage = lazy(() => import('./pages/queues/ReviewQueuePage'));
const SignoffQueuePage = lazy(() => import('./pages/queues/SignoffQueuePage'));
const ApprenticesPage = lazy(() => import('./pages/employer/ApprenticesPage'));
const CaseloadPage = lazy(() => import('./pages/provider/CaseloadPage'));
const ChangeApprenticeshipPage = lazy(() => import('./pages/provider/ChangeApprenticeshipPage'));
const OrganisationsPage = lazy(() => import('./pages/admin/OrganisationsPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const AdminApprenticeshipsPage = lazy(() => import('./pages/admin/ApprenticeshipsPage'));
const ImportsPage = lazy(() => import('./pages/admin/ImportsPage'));
const ImportPortfolioPage = lazy(() => import('./pages/provider/ImportPortfolioPage'));

const STAFF: Role[] = ['admin', 'provider', 'employer'];

function Private({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  return <RequireAuth roles={roles}>{children}</RequireAuth>;
}

export function App() {
  return (
    <Layout>
      <Suspense fallback={<Loading label="Loading page" />}>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/sign-in/link" element={<SignInLinkPage />} />
          <Route path="/accessibility" element={<AccessibilityPage />} />
          <Route path="/set-password" element={<SetPasswordPage />} />
          <Route path="/forgotten-password" element={<ForgottenPasswordPage />} />
          <Route path="/account/password" element={<Private><PasswordPage /></Private>} />
          <Route path="/account/notifications" element={<Private><NotificationsPage /></Private>} />
          <Route path="/" element={<Private><HomePage /></Private>} />

          <Route path="/progress" element={<Private roles={['apprentice']}><MyApprenticeship to="" /></Private>} />
          <Route path="/my-evidence" element={<Private roles={['apprentice']}><MyApprenticeship to="/evidence" /></Private>} />
          <Route path="/my-evidence/new" element={<Private roles={['apprentice']}><MyApprenticeship to="/evidence/new" /></Private>} />

          <Route path="/apprenticeships/:apprenticeshipId" element={<Private><ProgressPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/change" element={<Private roles={['provider', 'admin']}><ChangeApprenticeshipPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/ksbs/:code" element={<Private><KsbPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/signoffs/new" element={<Private roles={['employer']}><BulkSignoffPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/evidence" element={<Private><EvidenceListPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/evidence/new" element={<Private roles={['apprentice']}><EvidenceFormPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/otj" element={<Private><OtjPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/reviews" element={<Private><ProgressReviewsPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/gateway" element={<Private><GatewayPage /></Private>} />
          <Route path="/apprenticeships/:apprenticeshipId/reviews/new" element={<Private roles={['provider']}><ReviewFormPage /></Private>} />
          <Route path="/reviews/:reviewId/edit" element={<Private roles={['provider']}><ReviewFormPage /></Private>} />
          <Route path="/evidence/:evidenceId" element={<Private><EvidenceDetailPage /></Private>} />
          <Route path="/evidence/:evidenceId/edit" element={<Private roles={['apprentice']}><EvidenceFormPage /></Private>} />
          <Route path="/evidence/:evidenceId/review" element={<Private roles={['provider']}><ReviewPage /></Private>} />

          <Route path="/inbox" element={<Private><InboxPage /></Private>} />
          <Route path="/review-queue" element={<Private roles={['provider', 'admin']}><ReviewQueuePage /></Private>} />
          <Route path="/otj-queue" element={<Private roles={['provider', 'admin']}><OtjQueuePage /></Private>} />
          <Route path="/caseload" element={<Private roles={['provider', 'admin']}><CaseloadPage /></Private>} />
          <Route path="/signoff-queue" element={<Private roles={['employer', 'admin']}><SignoffQueuePage /></Private>} />
          <Route path="/apprentices" element={<Private roles={STAFF}><ApprenticesPage /></Private>} />

          <Route path="/admin/organisations" element={<Private roles={['admin']}><OrganisationsPage /></Private>} />
          <Route path="/admin/users" element={<Private roles={['admin']}><UsersPage /></Private>} />
          <Route path="/admin/apprenticeships" element={<Private roles={['admin']}><AdminApprenticeshipsPage /></Private>} />

          <Route path="/imports" element={<Private roles={['admin', 'provider']}><ImportsPage /></Private>} />
          <Route path="/imports/portfolio" element={<Private roles={['provider']}><ImportPortfolioPage /></Private>} />

          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
