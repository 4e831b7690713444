// Filled by the campaign-service work: request schemas and response types of the models routes.
export {};
