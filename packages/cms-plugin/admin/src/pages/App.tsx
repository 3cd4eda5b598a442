import { Page, useRBAC } from '@strapi/strapi/admin';
import { Navigate, Route, Routes } from 'react-router-dom';

import { PERMISSIONS } from '../permissions';

import { AuditPage } from './AuditPage';
import { DeliveriesPage } from './DeliveriesPage';
import { SkillsPage } from './SkillsPage';

/** Routes under `/plugins/skill-mapping`; each page checks its own RBAC action. */
export const App = () => {
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS.readDeliveries);

  if (isLoading) return <Page.Loading />;

  return (
    <Routes>
      <Route index element={<Navigate to={allowedActions.canRead ? 'deliveries' : 'skills'} replace />} />
      <Route
        path="deliveries"
        element={
          <Page.Protect permissions={PERMISSIONS.readDeliveries}>
            <DeliveriesPage />
          </Page.Protect>
        }
      />
      <Route path="skills" element={<SkillsPage />} />
      <Route
        path="audit"
        element={
          <Page.Protect permissions={PERMISSIONS.readDeliveries}>
            <AuditPage />
          </Page.Protect>
        }
      />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  );
};
