/**
 * Routes by role: labelers get their campaigns and the comparison screen; researchers and admins
 * get the console. Client routes never share a first segment with an API route (the API serves
 * this app's index.html for any other browser navigation).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client';
import { SessionProvider } from './auth/session';
import { RequireRole } from './auth/RequireRole';
import { Layout } from './components/Layout';
import { CampaignDashboardPage } from './console/CampaignDashboardPage';
import { ConsoleHomePage } from './console/ConsoleHomePage';
import { CreateCampaignPage } from './console/CreateCampaignPage';
import { PolicyPage } from './console/PolicyPage';
import { PolicyPromptPage } from './console/PolicyPromptPage';
import { SimulationPage } from './console/SimulationPage';
import { SimulationsPage } from './console/SimulationsPage';
import { LabelPage } from './labeling/LabelPage';
import { HomePage } from './pages/HomePage';
import { LabelerHomePage } from './pages/LabelerHomePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

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
          <Route path="/console/campaigns/:campaignId/policy/:promptId" element={<PolicyPromptPage />} />
          <Route path="/console/simulations" element={<SimulationsPage />} />
          <Route path="/console/simulations/:simulationId" element={<SimulationPage />} />
        </Route>
        <Route path="/404" element={<NotFoundPage />} />
        <Route path="*" element={<Navigate to="/404" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const queryClient = createQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
