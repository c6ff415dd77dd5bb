import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function Experiments() {
  const t = useCommon();
  return <PageHeader title={t('navExperiments')} />;
}
