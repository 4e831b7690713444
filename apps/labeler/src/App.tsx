/**
 * Routes by role: labelers get their campaigns and the comparison screen; researchers and admins
 * get the console. Client routes never share a first segment with an API route (the API serves
 * this app's index.html for any other browser navigation).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { SessionProvider } from './auth/session';
import { RequireRole } from './auth/RequireRole';
import { Loading } from './components/feedback';
import { Layout } from './components/Layout';
import { LabelPage } from './labeling/LabelPage';
import { HomePage } from './pages/HomePage';
import { LabelerHomePage } from './pages/LabelerHomePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

// The console (charts, forms) loads on first use: a labeler's first comparison does not wait for it.
const ConsoleHomePage = lazy(() => import('./console/ConsoleHomePage').then((m) => ({ default: m.ConsoleHomePage })));
const CreateCampaignPage = lazy(() =>
  import('./console/CreateCampaignPage').then((m) => ({ default: m.CreateCampaignPage })),
);
const CampaignDashboardPage = lazy(() =>
  import('./console/CampaignDashboardPage').then((m) => ({ default: m.CampaignDashboardPage })),
);
const PolicyPage = lazy(() => import('./console/PolicyPage').then((m) => ({ default: m.PolicyPage })));
const PolicyPromptPage = lazy(() =>
  import('./console/PolicyPromptPage').then((m) => ({ default: m.PolicyPromptPage })),
);
const SimulationsPage = lazy(() => import('./console/SimulationsPage').then((m) => ({ default: m.SimulationsPage })));
const PeoplePage = lazy(() => import('./console/PeoplePage').then((m) => ({ default: m.PeoplePage })));
const SimulationPage = lazy(() => import('./console/SimulationPage').then((m) => ({ default: m.SimulationPage })));
const CrowdPage = lazy(() => import('./console/crowd/CrowdPage').then((m) => ({ default: m.CrowdPage })));
const FlagsPage = lazy(() => import('./console/flags/FlagsPage').then((m) => ({ default: m.FlagsPage })));
const DataPage = lazy(() => import('./console/data/DataPage').then((m) => ({ default: m.DataPage })));
const ComparisonViewPage = lazy(() =>
  import('./console/data/ComparisonViewPage').then((m) => ({ default: m.ComparisonViewPage })),
);
const SourceModelsPage = lazy(() =>
  import('./console/source-models/SourceModelsPage').then((m) => ({ default: m.SourceModelsPage })),
);

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Only failures a second try can fix are retried; a 404 or 403 is an answer.
        retry: (count, error) => error instanceof ApiError && error.retryable && count < 2,
        refetchOnWindowFocus: false,
        staleTime: 2_000,
      },
    },
  });
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route element={<RequireRole roles={['labeler', 'researcher', 'admin']} />}>
          <Route path="/label" element={<LabelerHomePage />} />
          <Route path="/label/:campaignId" element={<LabelPage />} />
        </Route>
        <Route element={<RequireRole roles={['researcher', 'admin']} />}>
          <Route path="/console" element={<ConsoleHomePage />} />
          <Route path="/console/campaigns/new" element={<CreateCampaignPage />} />
          <Route path="/console/campaigns/:campaignId" element={<CampaignDashboardPage />} />
          <Route path="/console/campaigns/:campaignId/policy" element={<PolicyPage />} />
          <Route path="/console/campaigns/:campaignId/crowd" element={<CrowdPage />} />
          <Route path="/console/campaigns/:campaignId/flags" element={<FlagsPage />} />
          <Route path="/console/campaigns/:campaignId/models" element={<SourceModelsPage />} />
          <Route path="/console/campaigns/:campaignId/data" element={<DataPage />} />
          <Route path="/console/campaigns/:campaignId/comparisons/:comparisonId" element={<ComparisonViewPage />} />
          <Route path="/console/campaigns/:campaignId/policy/:promptId" element={<PolicyPromptPage />} />
          <Route path="/console/simulations" element={<SimulationsPage />} />
          <Route path="/console/simulations/:simulationId" element={<SimulationPage />} />
        </Route>
        <Route element={<RequireRole roles={['admin']} />}>
          <Route path="/console/people" element={<PeoplePage />} />
        </Route>
        <Route path="/404" element={<NotFoundPage />} />
        <Route path="*" element={<Navigate to="/404" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <AppRoutes />
          </Suspense>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
