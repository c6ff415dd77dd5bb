/** Client page: find a client by id — profile, products over months, recommendations, offers. */
import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function Client() {
  const t = useCommon();
  return <PageHeader title={t('navClient')} />;
}
